"""write_photo_sequences: GOPRO-layout test sequences of photographs, moving or still."""
import glob
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from fst_plugin.datasets.synthesis.photo_sequences import (select_photos,
                                                           write_photo_sequences)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _frames(seq_dir, folder):
    return [cv2.imread(p).astype(np.float32)
            for p in sorted(glob.glob(osp.join(seq_dir, folder, '*.png')))]


def _write(tiny_photos, out, kind):
    photos = select_photos(tiny_photos, 'train', None)
    return write_photo_sequences(str(out), photos, (64, 48), frames_per_seq=5,
                                 blur_px=(6.0, 8.0), seed=3, kind=kind, log=lambda *a: None)


def test_moving_sequences_have_a_sharp_frame_per_frame(tiny_photos, tmp_path):
    meta = _write(tiny_photos, tmp_path, 'moving')
    assert meta['kind'] == 'moving' and len(meta['sequences']) == 2
    seq_dir = osp.join(tmp_path, 'test', meta['sequences'][0]['name'])
    blur, sharp = _frames(seq_dir, 'blur'), _frames(seq_dir, 'sharp')
    assert len(blur) == len(sharp) == 5 and blur[0].shape == (48, 64, 3)
    # the camera moves: the sharp frames differ along the clip
    assert np.abs(sharp[0] - sharp[4]).mean() > 2


def test_still_sequences_repeat_one_blurred_exposure(tiny_photos, tmp_path):
    meta = _write(tiny_photos, tmp_path, 'still')
    assert meta['kind'] == 'still'
    with open(osp.join(tmp_path, 'synthesis_meta_test.json')) as f:
        assert json.load(f)['kind'] == 'still'
    seq_dir = osp.join(tmp_path, 'test', meta['sequences'][0]['name'])
    blur, sharp = _frames(seq_dir, 'blur'), _frames(seq_dir, 'sharp')
    for k in range(1, 5):
        np.testing.assert_array_equal(sharp[k], sharp[0])
        # the same exposure, only the noise differs: the difference has no structure
        # left once the noise is averaged out locally
        smoothed = cv2.GaussianBlur(blur[k] - blur[0], (0, 0), 3)
        assert np.abs(smoothed).mean() < 1
    # and it is blurred
    assert np.abs(blur[2] - sharp[2]).mean() > 2


def test_bad_kind_is_refused(tiny_photos, tmp_path):
    with pytest.raises(ValueError, match='kind'):
        _write(tiny_photos, tmp_path, 'shaky')


def test_tool_writes_still_sequences(tiny_photos, tmp_path):
    res = subprocess.run(
        [sys.executable, 'tools/dataset_converters/synthesize_photo_blur.py', '--photos',
         tiny_photos, '--role', 'held_out', '--kind', 'still', '--size', '64x48',
         '--out', str(tmp_path / 'still')], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    assert '1 sequences' in res.stdout
    with open(tmp_path / 'still' / 'synthesis_meta_test.json') as f:
        assert json.load(f)['kind'] == 'still'
