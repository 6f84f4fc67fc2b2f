"""EDVR and STFAN through tools/train.py, tools/test.py, dist_test.sh and compare.py (CPU)."""
import json
import os
import os.path as osp
import re
import sys

import numpy as np
import pytest
import torch

from test_train_test_tools import ROOT, run

TINY = {
    'edvr': ['model.generator.mid_channels=8', 'model.generator.deform_groups=2',
             'model.generator.num_blocks_extraction=1',
             'model.generator.num_blocks_reconstruction=1', 'custom_hooks.0.warmup_iters=2'],
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


@pytest.fixture(scope='module')
def trained(tiny_gopro, tmp_path_factory):
    """Each demo config trained for 4 tiny iterations, then tested with --out."""
    out_dir = tmp_path_factory.mktemp('baselines')
    results = {}
    for method in ('fst', 'edvr', 'stfan'):
        work = str(out_dir / method)
        log = run([sys.executable, 'tools/train.py', f'configs/{method}_demo.py', '--work-dir',
                   work] + options(method, tiny_gopro))
        scores = str(out_dir / 'compare' / method.upper() / 'scores.json')
        os.makedirs(osp.dirname(scores))
        run([sys.executable, 'tools/test.py', f'configs/{method}_demo.py',
             osp.join(work, 'iter_4.safetensors'), '--work-dir', work, '--out', scores] +
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


def test_edvr_warmup_trains_only_tsa_first(trained):
    _, results = trained
    log = results['edvr']['log']
    assert 'training only generator.fusion until iteration 2' in log
    assert 'iteration 2: training the whole generator' in log


@pytest.mark.parametrize('method', ['edvr', 'stfan'])
def test_dist_test_matches_single_process(trained, tiny_gopro, tmp_path, method):
    _, results = trained
    r = results[method]
    out = str(tmp_path / 'dist.json')
    run(['bash', 'tools/dist_test.sh', f'configs/{method}_demo.py',
         osp.join(r['work'], 'iter_4.safetensors'), '2', '--work-dir', str(tmp_path / 'w'), '--out',
         out] + options(method, tiny_gopro))
    single, double = json.load(open(r['scores'])), json.load(open(out))
    assert double['num_frames'] == 6
    for k in ('PSNR', 'SSIM', 'input_PSNR'):
        assert double['overall'][k] == pytest.approx(single['overall'][k], abs=1e-6)


def test_edvr_warmup_under_ddp(tiny_gopro, tmp_path):
    """Frozen parameters during the warm-up do not break 2-process DDP training."""
    work = str(tmp_path / 'dist')
    run(['bash', 'tools/dist_train.sh', 'configs/edvr_demo.py', '2', '--work-dir', work] +
        options('edvr', tiny_gopro))
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu', weights_only=False)
    assert ckpt['meta']['iter'] == 4


def test_compare_writes_table_csv_plot_and_grids(trained, tiny_gopro):
    out_dir, results = trained
    compare = str(out_dir / 'compare')
    args = [sys.executable, 'tools/compare.py', '--skip-test', '--data-root', tiny_gopro,
            '--out-dir', compare, '--grid-frames', '2']
    for method in ('fst', 'edvr', 'stfan'):
        cfg = osp.join(results[method]['work'], f'{method}_demo.py')  # the run's own config
        args += ['--method', method.upper(), cfg, osp.join(results[method]['work'],
                                                           'iter_4.safetensors')]
    out = run(args)
    assert '| FST |' in out and '| EDVR |' in out and '| STFAN |' in out
    table = json.load(open(osp.join(compare, 'comparison.json')))['table']
    assert [r['method'] for r in table] == ['blurry input', 'FST', 'EDVR', 'STFAN']
    for row, method in zip(table[1:], ('fst', 'edvr', 'stfan')):
        scores = json.load(open(results[method]['scores']))['overall']
        assert row['PSNR'] == pytest.approx(scores['PSNR'])
        assert row['params_M'] > 0 and row['GMACs_per_frame'] > 0 and row['seconds_per_frame'] > 0
    grids = os.listdir(osp.join(compare, 'grids'))
    assert len(grids) == 2
    import cv2
    grid = cv2.imread(osp.join(compare, 'grids', grids[0]))
    assert grid.shape[1] >= 5 * 48  # blurry | 3 methods | sharp
    for name in ('comparison.md', 'comparison.csv', 'per_sequence.csv', 'per_sequence_psnr.png'):
        assert osp.getsize(osp.join(compare, name)) > 0
