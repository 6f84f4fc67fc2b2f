"""tools/analysis_tools/checkpoint_curve.py scores every checkpoint of a work dir and caches the scores."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import save_checkpoint

from mmagic.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

TINY = ("model = dict(generator=dict(mid_channels=(8, 8, 8), growth_channels=(4, 4, 4), "
        "num_dense_layers=1, num_decoder_blocks=(1, 1, 1)))\n")


def make_work_dir(tmp_path):
    """A work dir as training leaves it: its config and two checkpoints."""
    work = tmp_path / 'work'
    work.mkdir()
    config = work / 'tiny.py'
    config.write_text(f"_base_ = [{osp.join(ROOT, 'configs', 'fst_demo.py')!r}]\n" + TINY)
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(config)).model)
    for it in (2, 4):
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn_like(p) * 0.02)
        save_checkpoint(dict(state_dict=model.state_dict(), meta={}), str(work / f'iter_{it}.pth'))
    return work


def test_scores_every_checkpoint_and_keeps_ensemble_scores_apart(tmp_path, tiny_gopro, run_tool):
    work = make_work_dir(tmp_path)
    cmd = [sys.executable, 'tools/analysis_tools/checkpoint_curve.py', str(work), '--data-root', tiny_gopro,
           '--trust-own-checkpoints']
    out = run_tool(cmd)
    cache = json.loads((work / 'checkpoint_curve.json').read_text())
    assert sorted(cache, key=int) == ['2', '4']
    seqs = {osp.basename(p) for p in glob.glob(osp.join(tiny_gopro, 'test', '*'))}
    for entry in cache.values():
        assert set(entry['per_sequence']) == seqs
        assert entry['self_ensemble'] is False and entry['split'] == 'test'
        assert 10 < entry['input_psnr'] < 60 and 0 < entry['psnr'] < 60
    assert cache['2']['psnr'] != cache['4']['psnr']  # two different models were scored
    assert '| 2 |' in out and '| 4 |' in out and (work / 'checkpoint_curve.png').is_file()

    # scores of another kind never mix into a cache: the ensemble needs its own
    proc = subprocess.run(cmd + ['--self-ensemble'], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode != 0 and 'min-change or frame-interval setting' in proc.stderr
    ensemble_cache = tmp_path / 'ensemble.json'
    run_tool(cmd + ['--self-ensemble', '--cache', str(ensemble_cache),
                    '--out', str(tmp_path / 'ensemble.png')])
    ensemble = json.loads(ensemble_cache.read_text())
    assert all(e['self_ensemble'] is True for e in ensemble.values())
    assert ensemble['4']['input_psnr'] == cache['4']['input_psnr']
    assert ensemble['4']['psnr'] != cache['4']['psnr']

    # --sharp-input: the sharp frames go in, so the input is scored as identical to them
    sharp_cache = tmp_path / 'sharp.json'
    out = run_tool(cmd + ['--sharp-input', '--cache', str(sharp_cache),
                          '--out', str(tmp_path / 'sharp.png')])
    assert '| output vs sharp input (dB) |' in out and 'blurry input' not in out
    sharp = json.loads(sharp_cache.read_text())
    assert all(e['sharp_input'] is True and e['input_psnr'] > 300 for e in sharp.values())
    assert all(10 < e['psnr'] < 300 for e in sharp.values())  # the model changed them
    assert sharp['4']['psnr'] != cache['4']['psnr']

    # --min-change: scored with the inference option, kept apart like the others
    small = scored_apart(cmd, ['--min-change', '2'], tmp_path / 'min_change', run_tool)
    assert all(e['min_change'] == 2.0 for e in small.values())
    assert small['4']['input_psnr'] == cache['4']['input_psnr']
    assert small['4']['psnr'] != cache['4']['psnr']

    # --frame-interval: neighbours two stored frames apart, kept apart like the others
    strided = scored_apart(cmd, ['--frame-interval', '2'], tmp_path / 'interval', run_tool)
    assert all(e['frame_interval'] == 2 for e in strided.values())
    assert strided['4']['input_psnr'] == cache['4']['input_psnr']  # the same frames scored
    assert strided['4']['psnr'] != cache['4']['psnr']  # with other neighbours


def scored_apart(cmd, option, stem, run_tool):
    """``cmd + option`` is refused on the default cache (naming the option), then scores into
    a cache of its own, ``<stem>.json``, which is returned."""
    proc = subprocess.run(cmd + option, cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode != 0 and f'with {" ".join(option)}' in proc.stderr
    run_tool(cmd + option + ['--cache', f'{stem}.json', '--out', f'{stem}.png'])
    return json.loads(open(f'{stem}.json').read())


def test_frame_interval_restores_interleaved_lower_rate_videos():
    sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
    from checkpoint_curve import parse_args, restore_interleaved

    calls = []

    def inferencer(frames):  # records each video it is given, echoes its frames
        calls.append(list(frames))
        yield from (f * 10 for f in calls[-1])

    assert restore_interleaved(inferencer, list(range(7)), 3) == [0, 10, 20, 30, 40, 50, 60]
    assert calls == [[0, 3, 6], [1, 4], [2, 5]]  # every frame once, K frames apart
    calls.clear()
    assert restore_interleaved(inferencer, [1, 2], 5) == [10, 20]  # K > n: one frame each
    assert calls == [[1], [2]]
    calls.clear()
    assert restore_interleaved(inferencer, [1, 2, 3], 1) == [10, 20, 30] and len(calls) == 1
    with pytest.raises(SystemExit):
        parse_args(['w', '--data-root', 'd', '--frame-interval', '0'])
