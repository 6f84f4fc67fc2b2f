import glob
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from fst_plugin.datasets.synthesis import ProceduralScene, average_window, synthesize_gopro


def test_average_window_values():
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (4, 5, 3), dtype=np.uint8) for _ in range(7)]
    blur, blur_gamma, sharp = average_window(frames)
    stack = np.stack(frames).astype(np.float64)
    np.testing.assert_array_equal(blur, np.round(stack.mean(0)).astype(np.uint8))
    lin = ((stack / 255)**2.2).mean(0)**(1 / 2.2) * 255
    np.testing.assert_array_equal(blur_gamma, np.round(lin).astype(np.uint8))
    np.testing.assert_array_equal(sharp, frames[3])
    # averaging in linear space brightens relative to averaging the stored values
    assert blur_gamma.astype(int).sum() >= blur.astype(int).sum()


def test_procedural_scene_moves_and_is_seeded():
    a = ProceduralScene((40, 32), seed=3).frames()
    b = ProceduralScene((40, 32), seed=3).frames()
    fa = [next(a) for _ in range(3)]
    fb = [next(b) for _ in range(3)]
    for x, y in zip(fa, fb):
        np.testing.assert_array_equal(x, y)
    assert fa[0].shape == (32, 40, 3) and fa[0].dtype == np.uint8
    assert np.abs(fa[0].astype(int) - fa[2].astype(int)).mean() > 0.5  # camera moves


def test_gopro_layout_and_blur(tiny_gopro):
    meta = json.load(open(osp.join(tiny_gopro, 'synthesis_meta.json')))
    assert [s['split'] for s in meta['sequences']] == ['train', 'train', 'test']
    for seq in meta['sequences']:
        d = osp.join(tiny_gopro, seq['split'], seq['name'])
        names = {sub: sorted(osp.basename(p) for p in glob.glob(osp.join(d, sub, '*.png')))
                 for sub in ('blur', 'blur_gamma', 'sharp')}
        assert names['blur'] == names['blur_gamma'] == names['sharp']
        assert len(names['sharp']) == 6 and 3 <= seq['n_avg'] <= 5
        assert names['sharp'][0] == f'{seq["first_frame"]:06d}.png'
        img = cv2.imread(osp.join(d, 'blur', names['blur'][0]))
        assert img.shape == (40, 48, 3)
        # blurry differs from sharp (motion), but not wildly
        sharp = cv2.imread(osp.join(d, 'sharp', names['sharp'][0])).astype(float)
        mse = ((img.astype(float) - sharp)**2).mean()
        assert 0 < mse < 255**2 / 10**(15 / 10)  # PSNR above 15 dB


def test_from_frame_folder_matches_manual_average(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (8, 10, 3), dtype=np.uint8) for _ in range(20)]
    for i, f in enumerate(frames):
        cv2.imwrite(str(src / f'{i}.png'), cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    out = str(tmp_path / 'out')
    meta = synthesize_gopro(out, source=str(src), num_train=1, num_test=1, frames_per_seq=2,
                            size=None, avg_range=(4, 4), seed=0, log=lambda *a: None)
    seqs = meta['sequences']
    assert [(s['split'], s['frames']) for s in seqs] == [('train', 2), ('test', 2)]
    # second test frame averages source frames 12..15, sharp = frame 14 (middle)
    d = osp.join(out, 'test', seqs[1]['name'])
    name = f'{seqs[1]["first_frame"] + 1:06d}.png'
    blur = cv2.cvtColor(cv2.imread(osp.join(d, 'blur', name)), cv2.COLOR_BGR2RGB)
    expected = np.round(np.stack(frames[12:16]).astype(float).mean(0)).astype(np.uint8)
    np.testing.assert_array_equal(blur, expected)
    sharp = cv2.cvtColor(cv2.imread(osp.join(d, 'sharp', name)), cv2.COLOR_BGR2RGB)
    np.testing.assert_array_equal(sharp, frames[14])
    with pytest.raises(FileExistsError, match='already exists'):
        synthesize_gopro(out, source=str(src), num_train=1, num_test=0, frames_per_seq=1,
                         size=None, avg_range=(4, 4), log=lambda *a: None)


def test_errors(tmp_path):
    with pytest.raises(ValueError, match='avg_range'):
        synthesize_gopro(str(tmp_path), avg_range=(5, 3))
    with pytest.raises(FileNotFoundError, match='does not exist'):
        synthesize_gopro(str(tmp_path / 'o'), source=str(tmp_path / 'missing.mp4'),
                         log=lambda *a: None)


def test_from_video_file(tmp_path):
    path = str(tmp_path / 'clip.avi')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 240, (32, 24))
    for i in range(14):
        frame = np.full((24, 32, 3), 10 * i, np.uint8)
        writer.write(frame)
    writer.release()
    meta = synthesize_gopro(str(tmp_path / 'out'), source=path, num_train=1, num_test=1,
                            frames_per_seq=1, size=(16, 12), avg_range=(7, 7),
                            log=lambda *a: None)
    assert [s['frames'] for s in meta['sequences']] == [1, 1]
    seq = meta['sequences'][1]
    img = cv2.imread(osp.join(str(tmp_path / 'out'), 'test', seq['name'], 'blur',
                              f'{seq["first_frame"]:06d}.png'))
    assert img.shape == (12, 16, 3)
    # second window averages source frames 7..13 (values 70..130, MJPG-compressed)
    assert abs(float(img.mean()) - 100) < 4
