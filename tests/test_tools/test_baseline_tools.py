"""EDVR and STFAN through tools/train.py, tools/test.py, dist_test.sh and compare.py (CPU)."""
import json
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = {
    'edvr': ['model.generator.mid_channels=8', 'model.generator.deform_groups=2',
             'model.generator.num_blocks_extraction=1',
             'model.generator.num_blocks_reconstruction=1'],
    'stfan': ['model.generator.channels=[4,8,8]'],
    'fst': ['model.generator.mid_channels=[8,8,8]', 'model.generator.growth_channels=[4,4,4]',
            'model.generator.num_dense_layers=1', 'model.generator.num_decoder_blocks=[1,1,1]'],
}


def options(method, data_root, *extra):
    opts = [f'{k}.dataset.data_root={data_root}'
            for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    opts += TINY[method] + [
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.dataset.pipeline.2.gt_patch_size=32',
        'default_hooks.logger.interval=1', 'log_processor.window_size=2',
        'train_cfg.max_iters=4', 'train_cfg.val_interval=1000', 'param_scheduler.T_max=4']
    return ['--cfg-options'] + opts + list(extra)


DEMO_CONFIGS = dict(fst='configs/fst/fst-half_1xb4-900i_demo.py',
                    edvr='configs/edvr_deblur/edvr-deblur-wotsa-s_1xb4-900i_demo.py',
                    stfan='configs/stfan/stfan-s_1xb4-900i_demo.py')


@pytest.fixture(scope='module')
def trained(tiny_gopro, tmp_path_factory, run_tool):
    """Each demo config trained for 4 tiny iterations, then tested with --out."""
    out_dir = tmp_path_factory.mktemp('baselines')
    results = {}
    for method in ('fst', 'edvr', 'stfan'):
        work = str(out_dir / method)
        log = run_tool([sys.executable, 'tools/train.py', DEMO_CONFIGS[method],
                        '--work-dir', work] + options(method, tiny_gopro))
        scores = str(out_dir / 'compare' / method.upper() / 'scores.json')
        os.makedirs(osp.dirname(scores))
        run_tool([sys.executable, 'tools/test.py', DEMO_CONFIGS[method],
                  osp.join(work, 'iter_4.safetensors'), '--work-dir', work, '--out', scores,
                  '--protocol', 'full', 'cdvd_tsp'] +
                 options(method, tiny_gopro))
        results[method] = dict(work=work, log=log, scores=scores)
    return out_dir, results


@pytest.mark.parametrize('method', ['edvr', 'stfan'])
def test_baseline_trains_and_tests(trained, method):
    _, results = trained
    r = results[method]
    assert re.search(r'Iter\(train\) \[4/4\]', r['log'])
    report = json.load(open(r['scores']))
    assert report['num_frames'] == 6
    # the overall score is the mean over the 6 scored frames, each a finite PSNR
    per_frame = [f['PSNR'] for f in report['per_frame']]
    assert len(per_frame) == 6 and all(np.isfinite(per_frame))
    assert report['overall']['PSNR'] == pytest.approx(np.mean(per_frame))
    # every method scores its own target frame of the blurry input: the same frames
    fst = json.load(open(results['fst']['scores']))
    assert report['overall']['input_PSNR'] == pytest.approx(fst['overall']['input_PSNR'])


def test_edvr_demo_has_no_tsa(trained):
    """The demo EDVR fuses with a 1x1 conv: TSA from scratch stayed at the identity."""
    from safetensors.torch import load_file
    weights = load_file(osp.join(trained[1]['edvr']['work'], 'iter_4.safetensors'))
    assert 'generator.fusion.weight' in weights
    assert not any(k.startswith('generator.fusion.temporal_attn') for k in weights)


@pytest.fixture(scope='module')
def tsa_stage(trained, tiny_gopro, tmp_path_factory, run_tool):
    """EDVR's second stage: the TSA model loads the demo EDVR (no TSA) and warms TSA up."""
    work = str(tmp_path_factory.mktemp('edvr_tsa'))
    start = osp.join(trained[1]['edvr']['work'], 'iter_4.safetensors')
    log = run_tool([sys.executable, 'tools/train.py', 'configs/edvr_deblur/edvr-deblur-s_1xb4-900i_demo.py',
                    '--work-dir', work] +
                   options('edvr', tiny_gopro, f'load_from={start}',
                           'custom_hooks.0.warmup_iters=2'))
    return work, log, start


def test_edvr_tsa_stage_loads_everything_but_the_fusion(tsa_stage):
    from safetensors.torch import load_file
    work, log, start = tsa_stage
    assert re.search(r'keys under generator\.fusion\. differ and keep their initialisation',
                     log)
    before, after = load_file(start), torch.load(
        osp.join(work, 'iter_4.pth'), map_location='cpu', weights_only=False)['state_dict']
    assert any(k.startswith('generator.fusion.temporal_attn') for k in after)
    # every weight outside the fusion came from the first stage and was trained from there
    shared = [k for k in before if not k.startswith('generator.fusion.')]
    assert shared and all(k in after for k in shared)
    frozen_then_trained = 'generator.conv_last.weight'
    step = (after[frozen_then_trained] - before[frozen_then_trained]).abs().max()
    assert 0 < step < 0.01  # two whole-network Adam steps at lr <= 1e-3, not a fresh init


def test_edvr_warmup_trains_only_tsa_first(tsa_stage):
    _, log, _ = tsa_stage
    assert 'training only generator.fusion until iteration 2' in log
    assert 'iteration 2: training the whole generator' in log


def test_edvr_tsa_stage_refuses_other_differences(trained, tiny_gopro, tmp_path, run_tool):
    """Only the declared prefix may differ: a first stage of another width is refused."""
    import subprocess
    start = osp.join(trained[1]['edvr']['work'], 'iter_4.safetensors')
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', 'configs/edvr_deblur/edvr-deblur-s_1xb4-900i_demo.py', '--work-dir',
         str(tmp_path / 'w')] + options('edvr', tiny_gopro, f'load_from={start}',
                                        'model.generator.mid_channels=12'),
        cwd=osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), env=env,
        capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'does not match the model' in proc.stderr and 'shape mismatches' in proc.stderr


@pytest.mark.parametrize('method', ['edvr', 'stfan'])
def test_dist_test_matches_single_process(trained, tiny_gopro, tmp_path, method, run_tool):
    _, results = trained
    r = results[method]
    out = str(tmp_path / 'dist.json')
    run_tool(['bash', 'tools/dist_test.sh', DEMO_CONFIGS[method],
              osp.join(r['work'], 'iter_4.safetensors'), '2', '--work-dir', str(tmp_path / 'w'),
              '--out', out] + options(method, tiny_gopro))
    single, double = json.load(open(r['scores'])), json.load(open(out))
    assert double['num_frames'] == 6
    for k in ('PSNR', 'SSIM', 'input_PSNR'):
        assert double['overall'][k] == pytest.approx(single['overall'][k], abs=1e-6)


def test_edvr_warmup_under_ddp(tiny_gopro, tmp_path, run_tool):
    """Frozen parameters during the warm-up do not break 2-process DDP training."""
    work = str(tmp_path / 'dist')
    run_tool(['bash', 'tools/dist_train.sh', 'configs/edvr_deblur/edvr-deblur-s_1xb4-900i_demo.py', '2', '--work-dir',
              work] + options('edvr', tiny_gopro, 'custom_hooks.0.warmup_iters=2'))
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu', weights_only=False)
    assert ckpt['meta']['iter'] == 4


def test_compare_writes_table_csv_plot_and_grids(trained, tiny_gopro, run_tool):
    out_dir, results = trained
    compare = str(out_dir / 'compare')
    args = [sys.executable, 'tools/analysis_tools/compare.py', '--skip-test', '--data-root', tiny_gopro,
            '--out-dir', compare, '--grid-frames', '2', '--protocol', 'full', 'cdvd_tsp']
    for method in ('fst', 'edvr', 'stfan'):
        cfg = osp.join(results[method]['work'], osp.basename(DEMO_CONFIGS[method]))  # the run's own config
        args += ['--method', method.upper(), cfg, osp.join(results[method]['work'],
                                                           'iter_4.safetensors')]
    # a generalization suite of two sources, written by the suite tool's own writer
    sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
    from generalization_suite import write_tables
    suite_gains = {'FST': (0.5, 1.5), 'EDVR': (0.2, 0.0), 'STFAN': (-0.1, 0.3)}
    suite_rows = {src: dict(input_PSNR=30.0, **{m: dict(PSNR=30.0 + g[i])
                                                for m, g in suite_gains.items()})
                  for i, src in enumerate(('a', 'b'))}
    write_tables(suite_rows, [(m, None, None) for m in suite_gains], str(out_dir), False)
    suite = str(out_dir / 'suite.json')
    out = run_tool(args + ['--suite', suite, '--efficiency-size', '40', '56'])
    assert '| FST |' in out and '| EDVR |' in out and '| STFAN |' in out
    assert ('| method | PSNR (dB) | SSIM | cdvd_tsp/PSNR (dB) | cdvd_tsp/SSIM | '
            'suite mean gain (dB) |') in out
    report = json.load(open(osp.join(compare, 'comparison.json')))
    assert report['efficiency_size'] == [40, 56] and report['suite'] == suite
    table = report['table']
    assert [r['method'] for r in table] == ['blurry input', 'FST', 'EDVR', 'STFAN']
    assert [r['suite_gain_dB'] for r in table] == pytest.approx([0.0, 1.0, 0.1, 0.1])
    # measured at --efficiency-size, not at the test frames' size: MACs scale with pixels
    from mmengine.config import Config
    from fst_plugin.analysis import measure_network
    from fst_plugin.apis import load_model
    fst_cfg = osp.join(results['fst']['work'], osp.basename(DEMO_CONFIGS['fst']))
    net = load_model(Config.fromfile(fst_cfg), osp.join(results['fst']['work'],
                                                         'iter_4.safetensors')).generator
    fst = next(r for r in table if r['method'] == 'FST')
    assert report['frame_size'] != [40, 56]
    assert fst['GMACs_per_frame'] * 1e9 == pytest.approx(
        measure_network(net, 5, (40, 56), repeats=1)['macs'])
    for row, method in zip(table[1:], ('fst', 'edvr', 'stfan')):
        report = json.load(open(results[method]['scores']))
        assert row['PSNR'] == pytest.approx(report['overall']['PSNR'])
        # the published protocol side by side: 8-bit, 4 px border, 2 of 6 frames
        cdvd = report['protocols']['cdvd_tsp']
        assert cdvd['num_frames'] == 2
        assert row['cdvd_tsp/PSNR'] == pytest.approx(cdvd['overall']['PSNR'])
        assert row['cdvd_tsp/PSNR'] != pytest.approx(row['PSNR'])
        assert row['params_M'] > 0 and row['GMACs_per_frame'] > 0 and row['seconds_per_frame'] > 0
    grids = os.listdir(osp.join(compare, 'grids'))
    assert len(grids) == 2
    import cv2
    grid = cv2.imread(osp.join(compare, 'grids', grids[0]))
    assert grid.shape[1] >= 5 * 48  # blurry | 3 methods | sharp
    for name in ('comparison.md', 'comparison.csv', 'per_sequence.csv', 'per_sequence_psnr.png',
                 'psnr_vs_gmacs.png', 'psnr_vs_seconds.png'):
        assert osp.getsize(osp.join(compare, name)) > 0
    assert '![psnr_vs_gmacs.png](psnr_vs_gmacs.png)' in open(osp.join(compare,
                                                                   'comparison.md')).read()


def test_compare_refuses_a_suite_without_the_methods(trained, tiny_gopro, tmp_path, run_tool):
    """--suite must hold every compared method; the error names the file and the gaps."""
    _, results = trained
    suite = tmp_path / 'suite.json'
    suite.write_text(json.dumps(dict(rows={}, mean_gain={'FST': 0.4})))
    ckpt = osp.join(results['fst']['work'], 'iter_4.safetensors')
    args = [sys.executable, 'tools/analysis_tools/compare.py', '--data-root', tiny_gopro,
            '--out-dir', str(tmp_path / 'out'), '--method', 'FST', 'configs/fst_demo.py', ckpt,
            '--method', 'EDVR', 'configs/fst_demo.py', ckpt, '--suite', str(suite)]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 2
    assert str(suite) in proc.stderr and "['EDVR']" in proc.stderr
    suite.write_text('[1, 2]')
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 2 and 'is not a generalization_suite.py suite.json' in proc.stderr


def test_stfan_whole_sequence_testing_one_and_two_processes(trained, tmp_path, run_tool):
    """STFAN's default test runs one recurrence per whole sequence; dist_test shards the 3
    sequences over 2 processes and reports the same per-frame numbers; the windowed mode
    (a fresh recurrence per target frame) scores the same frames differently."""
    from fst_plugin.datasets.synthesis import synthesize_gopro
    root = str(tmp_path / 'data')
    synthesize_gopro(root, num_train=1, num_test=3, frames_per_seq=4, size=(32, 32),
                     avg_range=(3, 5), seed=2, log=lambda *a: None)
    _, results = trained
    ckpt = osp.join(results['stfan']['work'], 'iter_4.safetensors')
    opts = options('stfan', root)
    reports = {}
    for name, extra in (('single', []), ('window', ['--recurrent-mode', 'window'])):
        out = str(tmp_path / f'{name}.json')
        run_tool([sys.executable, 'tools/test.py', 'configs/stfan/stfan-s_1xb4-900i_demo.py', ckpt, '--out', out,
                        '--work-dir', str(tmp_path / name)] + extra + opts)
        reports[name] = json.load(open(out))
    out = str(tmp_path / 'double.json')
    run_tool(['bash', 'tools/dist_test.sh', 'configs/stfan/stfan-s_1xb4-900i_demo.py', ckpt, '2', '--work-dir',
              str(tmp_path / 'w2'), '--out', out] + opts)
    reports['double'] = json.load(open(out))
    frames = {n: {f['key']: f['PSNR'] for f in r['per_frame']} for n, r in reports.items()}
    assert len(frames['single']) == 12 and frames['single'].keys() == frames['double'].keys()
    for key, value in frames['single'].items():
        assert frames['double'][key] == pytest.approx(value, abs=1e-6)
    assert frames['window'].keys() == frames['single'].keys()
    # frames after the first have more history in one recurrence than in a 5-frame window
    # restarted at the edge: at least one differs
    assert any(abs(frames['window'][k] - v) > 1e-4 for k, v in frames['single'].items())
    assert reports['single']['num_frames'] == 12


def test_compare_passes_cfg_options_to_every_test(trained, tiny_gopro, tmp_path, run_tool):
    """--cfg-options reaches test.py and the grids' datasets: every 2nd frame is scored."""
    _, results = trained
    out = str(tmp_path / 'every_second')
    run_tool([sys.executable, 'tools/analysis_tools/compare.py', '--data-root', tiny_gopro, '--out-dir', out,
              '--grid-frames', '1', '--method', 'FST', 'configs/fst_demo.py',
              osp.join(results['fst']['work'], 'iter_4.safetensors'), '--cfg-options',
              'test_dataloader.dataset.target_interval=2'] + options('fst', tiny_gopro)[1:])
    report = json.load(open(osp.join(out, 'FST', 'scores.json')))
    assert report['num_frames'] == 3  # of the 6 that test_baseline_trains_and_tests scores
    every = json.load(open(results['fst']['scores']))['per_frame']
    assert [f['PSNR'] for f in report['per_frame']] == pytest.approx(
        [f['PSNR'] for f in every][::2])
