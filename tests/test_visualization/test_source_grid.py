import os

import cv2
import numpy as np
import pytest

from fst_plugin.visualization.source_grid import (grid_of_source, grid_of_video,
                                                  least_sharp_frame, most_blurred_sequence,
                                                  window)


def write_sequence(root, name, blurs, sharps):
    for kind, frames in (('blur', blurs), ('sharp', sharps)):
        os.makedirs(root / 'test' / name / kind)
        for i, frame in enumerate(frames):
            cv2.imwrite(str(root / 'test' / name / kind / f'{i:06d}.png'), frame[..., ::-1])


@pytest.fixture
def two_sequences(tmp_path):
    """'mild' (blurry = sharp + 2) and 'strong' (blurry = sharp + 30), 5 frames each."""
    rng = np.random.default_rng(0)
    for name, offset in (('mild', 2), ('strong', 30)):
        sharps = [rng.integers(0, 200, (24, 32, 3), dtype=np.uint8) for _ in range(5)]
        write_sequence(tmp_path, name, [s + np.uint8(offset) for s in sharps], sharps)
    return tmp_path


def test_most_blurred_sequence_is_the_one_furthest_from_sharp(two_sequences):
    seq, names = most_blurred_sequence(str(two_sequences))
    assert os.path.basename(seq) == 'strong' and len(names) == 5


def test_a_root_without_pairs_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        most_blurred_sequence(str(tmp_path))


def test_window_is_clipped_at_the_ends():
    frames = list(range(6))
    assert window(frames, 2, 2) == ([0, 1, 2, 3, 4], 2)
    assert window(frames, 0, 2) == ([0, 1, 2], 0)
    assert window(frames, 5, 2) == ([3, 4, 5], 2)


def test_grid_of_source_restores_the_middle_frame_from_its_window(two_sequences):
    seen = []

    def perfect(frames, index):  # restores exactly: the blurry frame minus the known offset
        seen.append((len(frames), index))
        return frames[index] - np.uint8(30)

    grid, info = grid_of_source(str(two_sequences), [('perfect', perfect)], radius=2,
                                unsharp=(1.0, 0.5))
    assert info['sequence'] == 'strong' and info['frame'] == '000002.png'
    assert seen == [(5, 2)]  # frames 0..4 around frame 2
    assert info['psnr']['perfect'] > 90 and info['psnr']['blurry'] < 20
    assert set(info['psnr']) == {'blurry', 'unsharp mask', 'perfect'}
    # frames row + crop row; blurry | unsharp | perfect | sharp
    assert grid.dtype == np.uint8 and grid.shape[1] == 4 * (32 + 4)


def test_grid_of_video_shows_the_least_sharp_frame_away_from_the_ends():
    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 255, (24, 32, 3), dtype=np.uint8) for _ in range(7)]
    frames[0] = np.full_like(frames[0], 90)  # the flattest, but at the end
    frames[4] = cv2.GaussianBlur(frames[4], (0, 0), 3)  # the least sharp inside
    assert least_sharp_frame(frames, margin=2) == 4
    assert least_sharp_frame(frames[:3], margin=2) == 0  # too short for the margin
    grid, info = grid_of_video(frames, [('same', lambda f, i: f[i])], radius=2)
    assert info == dict(frame=4) and grid.shape[1] == 2 * (32 + 4)
