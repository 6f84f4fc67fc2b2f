"""tools/train.py, tools/test.py and tools/dist_test.sh run for real on tiny data (CPU)."""
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY_NET = ('model.generator.mid_channels=[8,8,8] model.generator.growth_channels=[4,4,4] '
            'model.generator.num_dense_layers=1 model.generator.num_decoder_blocks=[1,1,1]')


def demo_options(data_root, *extra):
    opts = [f'{k}.dataset.data_root={data_root}'
            for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    opts += TINY_NET.split() + [
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.dataset.pipeline.2.gt_patch_size=32',
        'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=4',
        'log_processor.window_size=2']  # the timer computes a test ETA every 2 frames
    return ['--cfg-options'] + opts + list(extra)


@pytest.fixture(scope='module')
def trained(tiny_gopro, tmp_path_factory, run_tool):
    """Start a 60-iteration run, SIGKILL it once a checkpoint exists, resume it to the end."""
    work = str(tmp_path_factory.mktemp('work'))
    train = [sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir', work]
    opts = demo_options(tiny_gopro, 'train_cfg.max_iters=60', 'train_cfg.val_interval=1000',
                        'param_scheduler.T_max=60')
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    proc = subprocess.Popen(train + opts, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    last = osp.join(work, 'last_checkpoint')
    deadline = time.time() + 240
    while not osp.isfile(last) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the trainer and its dataloader workers
    proc.wait()
    assert osp.isfile(last), 'no checkpoint was written before the deadline'
    killed_at = int(re.search(r'iter_(\d+)\.pth', open(last).read()).group(1))
    assert killed_at < 60, 'the run finished before it could be killed'
    out = run_tool(train + ['--resume'] + opts)
    return work, out, killed_at


def test_killed_run_resumes_at_the_saved_iteration(trained):
    work, out, killed_at = trained
    assert re.search(rf'resumed epoch: \d+, iter: {killed_at}\b', out), out[-3000:]
    assert re.search(rf'Iter\(train\) \[\s*{killed_at + 1}/60\]', out)
    assert not re.search(r'Iter\(train\) \[\s*1/60\]', out)
    ckpt = torch.load(osp.join(work, 'iter_60.pth'), map_location='cpu', weights_only=False)
    assert ckpt['meta']['iter'] == 60
    # the safe model-only export written at the end holds exactly the final weights
    from safetensors.torch import load_file
    weights = load_file(osp.join(work, 'iter_60.safetensors'))
    assert weights.keys() == ckpt['state_dict'].keys()
    assert all(torch.equal(weights[k], v) for k, v in ckpt['state_dict'].items())


def test_test_tool_writes_report_and_dist_matches(trained, tiny_gopro, tmp_path, run_tool):
    work, _, _ = trained
    ckpt = osp.join(work, 'iter_60.safetensors')  # written by train.py at the end
    opts = demo_options(tiny_gopro)
    single = str(tmp_path / 'single.json')
    out = run_tool([sys.executable, 'tools/test.py', 'configs/fst_demo.py', ckpt, '--work-dir',
                    str(tmp_path / 'w1'), '--out', single, '--show-dir', str(tmp_path / 'img'),
                    '--protocol', 'full', 'cdvd_tsp'] + opts)
    assert 'overall (frame mean)' in out  # per-sequence table in the log
    assert re.search(r'evaluation protocol cdvd_tsp: .*; 2 of 6 frames scored', out)
    images = os.listdir(tmp_path / 'img' / 'vis_data' / 'vis_image')
    assert len(images) == 6 and all('__' in name for name in images)
    report = json.load(open(single))
    assert report['num_frames'] == 6 == len(report['per_frame'])
    assert set(report['overall']) == {'PSNR', 'SSIM', 'input_PSNR', 'input_SSIM'}
    # the published protocol beside ours: the 6-frame sequence keeps its 2 middle frames
    assert report['blur_dir'] == 'blur'
    cdvd = report['protocols']['cdvd_tsp']
    assert cdvd['num_frames'] == 2 and cdvd['settings']['crop_border'] == 4
    assert [f['position'] for f in report['per_frame'] if 'cdvd_tsp' in f['scored_by']] == [2, 3]

    double = str(tmp_path / 'double.json')
    run_tool(['bash', 'tools/dist_test.sh', 'configs/fst_demo.py', ckpt, '2', '--work-dir',
              str(tmp_path / 'w2'), '--out', double, '--protocol', 'full', 'cdvd_tsp'] + opts)
    report2 = json.load(open(double))
    assert report2['num_frames'] == 6
    assert report2['protocols']['cdvd_tsp']['overall']['PSNR'] == pytest.approx(
        cdvd['overall']['PSNR'], abs=1e-6)
    assert report2['overall']['PSNR'] == pytest.approx(report['overall']['PSNR'], abs=1e-6)
    assert report2['overall']['SSIM'] == pytest.approx(report['overall']['SSIM'], abs=1e-6)


def test_test_tool_self_ensemble_scores_the_averaged_views(trained, tiny_gopro, tmp_path,
                                                          run_tool):
    work, _, _ = trained
    ckpt = osp.join(work, 'iter_60.safetensors')
    reports = {}
    for mode in (None, 'spatial'):
        out = str(tmp_path / f'{mode}.json')
        run_tool([sys.executable, 'tools/test.py', 'configs/fst_demo.py', ckpt, '--work-dir',
                  str(tmp_path / f'w_{mode}'), '--out', out] + demo_options(tiny_gopro)
                 + (['--self-ensemble', mode] if mode else []))
        reports[mode] = json.load(open(out))['overall']
    assert reports['spatial']['input_PSNR'] == reports[None]['input_PSNR']
    assert reports['spatial']['PSNR'] != pytest.approx(reports[None]['PSNR'], abs=1e-6)


def test_fst_gopro_trains_on_gopro_layout(tmp_path, run_tool):
    """configs/fst_gopro.py starts training on a 1280x720 GOPRO_Large tree."""
    from fst_plugin.datasets.synthesis import synthesize_gopro
    root = str(tmp_path / 'GOPRO_Large')
    synthesize_gopro(root, num_train=1, num_test=1, frames_per_seq=3, size=(1280, 720),
                     avg_range=(7, 7), log=lambda *a: None)
    out = run_tool([sys.executable, 'tools/train.py', 'configs/fst_gopro.py', '--work-dir',
                    str(tmp_path / 'work'), '--cfg-options',
                    f'train_dataloader.dataset.data_root={root}',
                    f'val_dataloader.dataset.data_root={root}',
                    f'test_dataloader.dataset.data_root={root}',
                    # synthesized names, not GOPRO_Large's held-out validation sequences
                    "val_dataloader.dataset.sequences=['GOPR9000_00_00']",
                    'train_dataloader.dataset.exclude_sequences=None',
                    'train_dataloader.batch_size=1', 'train_dataloader.num_workers=0',
                    'train_dataloader.persistent_workers=False',
                    'train_dataloader.dataset.pipeline.2.gt_patch_size=64',
                    'train_cfg.max_iters=1', 'train_cfg.val_begin=2',
                    'default_hooks.logger.interval=1'])
    assert 'Iter(train) [1/1]' in out, out[-3000:]


def test_missing_gopro_error_says_where_and_how(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore')
    proc = subprocess.run([sys.executable, 'tools/train.py', 'configs/fst_gopro.py',
                           '--work-dir', str(tmp_path), '--cfg-options',
                           f'train_dataloader.dataset.data_root={tmp_path}/nowhere'],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert f'{tmp_path}/nowhere/train' in proc.stderr
    assert 'synthesize_gopro.py' in proc.stderr


def test_test_tool_refuses_checkpoint_of_another_model(tmp_path):
    from mmengine.runner.checkpoint import save_checkpoint
    from mmagic.registry import MODELS
    other = MODELS.build(dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4)))
    path = str(tmp_path / 'other.pth')
    save_checkpoint(dict(state_dict={f'generator.{k}': v
                                     for k, v in other.state_dict().items()}), path)
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore')
    proc = subprocess.run([sys.executable, 'tools/test.py', 'configs/fst_demo.py', path,
                           '--work-dir', str(tmp_path / 'w')], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'other.pth does not match the model' in proc.stderr
    assert 'shape mismatches' in proc.stderr


def test_dist_train_two_cpu_processes(tiny_gopro, tmp_path, run_tool):
    """tools/dist_train.sh: 2 processes on CPU pick gloo and train together."""
    work = str(tmp_path / 'dist')
    opts = demo_options(tiny_gopro, 'train_cfg.max_iters=4', 'train_cfg.val_interval=1000',
                        'env_cfg.dist_cfg.backend=nccl')
    out = run_tool(['bash', 'tools/dist_train.sh', 'configs/fst_demo.py', '2', '--work-dir',
                    work] + opts)
    if not torch.cuda.is_available():
        assert 'switched from nccl to gloo' in out
    assert re.search(r'world_size:\s*2|Distributed launcher: pytorch', out) or \
        'World size: 2' in out
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu', weights_only=False)
    assert ckpt['meta']['iter'] == 4


def test_train_tool_refuses_load_from_of_another_model(tmp_path):
    from mmengine.runner.checkpoint import save_checkpoint
    from mmagic.registry import MODELS
    other = MODELS.build(dict(type='STFANNet', channels=(4, 8, 8)))
    path = str(tmp_path / 'stfan.pth')
    save_checkpoint(dict(state_dict={f'generator.{k}': v
                                     for k, v in other.state_dict().items()}), path)
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore')
    proc = subprocess.run([sys.executable, 'tools/train.py', 'configs/fst_demo.py',
                           '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                           f'load_from={path}'], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode != 0
    assert 'stfan.pth does not match the model' in proc.stderr
    assert 'missing' in proc.stderr and 'unexpected' in proc.stderr
    assert '--allow-partial-load' in proc.stderr


def test_same_seed_same_loss_curve(tiny_gopro, tmp_path, run_tool):
    """Determinism on CPU: two runs with one seed log identical losses, another seed not."""
    def losses(seed, name):
        work = str(tmp_path / name)
        opts = demo_options(tiny_gopro, 'train_cfg.max_iters=5', 'train_cfg.val_interval=1000',
                            'param_scheduler.T_max=5', f'randomness.seed={seed}',
                            'randomness.deterministic=True')
        run_tool([sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir',
                  work] + opts)
        (stamp, ) = [d for d in os.listdir(work) if re.fullmatch(r'\d{8}_\d{6}', d)]
        lines = open(osp.join(work, stamp, 'vis_data', 'scalars.json')).read().splitlines()
        return [json.loads(line)['loss'] for line in lines if '"loss"' in line]

    first, second, other = losses(0, 'a'), losses(0, 'b'), losses(1, 'c')
    assert len(first) == 5
    assert first == second
    assert first != other


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path of --amp')
def test_amp_trains_in_bf16_on_cpu(tiny_gopro, tmp_path, run_tool):
    work = str(tmp_path / 'amp')
    opts = demo_options(tiny_gopro, 'train_cfg.max_iters=2', 'train_cfg.val_interval=1000',
                        'param_scheduler.T_max=2')
    out = run_tool([sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir', work,
                    '--amp'] + opts)
    assert "type='AutocastOptimWrapper'" in out and "dtype='bfloat16'" in out
    assert 'Iter(train) [2/2]' in out
    proc = subprocess.run([sys.executable, 'tools/train.py', 'configs/fst_demo.py',
                           '--work-dir', work, '--amp', 'fp16'], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode != 0 and '--amp fp16 needs a GPU' in proc.stderr
