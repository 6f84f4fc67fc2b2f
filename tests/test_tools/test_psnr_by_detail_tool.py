"""tools/analysis_tools/psnr_by_detail.py scores the input and a model per band of sharp-frame detail."""
import glob
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from fst_plugin.apis import DEFAULT_WEIGHTS
from fst_plugin.evaluation.detail_bands import band_psnr, detail_band_masks, detail_map

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _frames(folder):
    return np.stack([cv2.imread(p)[:, :, ::-1] for p in sorted(glob.glob(f'{folder}/*.png'))])


def test_scores_input_and_shipped_weights_per_band(tiny_gopro, run_tool, tmp_path):
    seq = sorted(glob.glob(osp.join(tiny_gopro, 'test', '*')))[0]
    out = tmp_path / 'bands.json'
    log = run_tool([sys.executable, 'tools/analysis_tools/psnr_by_detail.py', seq,
                    '--method', 'shipped', '-', DEFAULT_WEIGHTS, '--out', str(out)])
    assert '| method | 0-50% | 50-90% | 90-100% |' in log
    results = json.loads(out.read_text())['results'][osp.basename(seq)]
    assert set(results) == {'blurry input', 'shipped'}
    assert all(len(scores) == 3 and all(np.isfinite(v) for v in scores.values())
               for scores in results.values())
    # the input's numbers, recomputed here from the PNGs
    blurry, sharp = _frames(f'{seq}/blur'), _frames(f'{seq}/sharp')
    bands = detail_band_masks(np.stack([detail_map(f) for f in sharp]))
    expected = band_psnr(blurry / 255.0, sharp / 255.0, bands)
    assert results['blurry input'] == pytest.approx(expected, abs=1e-9)
    # the model changed the frames: not every band equals the input's
    assert results['shipped'] != results['blurry input']


def test_a_folder_without_frames_is_named(tmp_path):
    (tmp_path / 'blur').mkdir()
    proc = subprocess.run([sys.executable, 'tools/analysis_tools/psnr_by_detail.py', str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={'PYTHONPATH': ROOT, 'PYTHONWARNINGS': 'ignore',
                               'PATH': '/usr/bin:/bin'})
    assert proc.returncode != 0
    assert f'{tmp_path}/sharp is missing' in proc.stderr
