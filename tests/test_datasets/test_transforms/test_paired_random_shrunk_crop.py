"""PairedRandomShrunkCrop: one window for clip and target, sometimes larger and shrunk."""
import numpy as np
import pytest

from fst_plugin.datasets.transforms import PairedRandomShrunkCrop


def _sample(h=48, w=64, t=3, dtype=np.uint8):
    """Frames whose pixel values encode their own (y, x) position, so a crop's origin and
    extent can be read back from it."""
    yy, xx = np.mgrid[0:h, 0:w]
    frame = np.stack([yy, xx, np.zeros_like(yy)], axis=-1).astype(dtype)
    return dict(img=[frame.copy() for _ in range(t)], gt=frame.copy(), scale=1,
                gt_path='seq/000.png')


def test_plain_crop_takes_the_same_window_from_every_frame():
    np.random.seed(0)
    crop = PairedRandomShrunkCrop(gt_patch_size=16, shrink_prob=0.0)
    for _ in range(20):
        out = crop(_sample())
        assert out['gt'].shape == (16, 16, 3) and len(out['img']) == 3
        for frame in out['img']:
            np.testing.assert_array_equal(frame, out['gt'])
        # a plain crop: consecutive pixels, unit steps
        assert np.all(np.diff(out['gt'][:, 0, 0].astype(int)) == 1)
        assert np.all(np.diff(out['gt'][0, :, 1].astype(int)) == 1)


def test_shrunk_crop_covers_a_larger_window():
    np.random.seed(1)
    crop = PairedRandomShrunkCrop(gt_patch_size=16, shrink_prob=1.0, min_scale=0.5)
    spans = []
    for _ in range(30):
        out = crop(_sample(dtype=np.float32))
        assert out['gt'].shape == (16, 16, 3) and out['gt'].dtype == np.float32
        np.testing.assert_allclose(out['img'][1], out['gt'])
        spans.append(out['gt'][-1, 0, 0] - out['gt'][0, 0, 0])
    # a 16 px crop spans 15 rows; a window shrunk by s in [0.5, 1] spans up to ~31
    assert max(spans) > 22 and min(spans) >= 14
    assert max(spans) <= 32


def test_shrunk_window_never_exceeds_the_frame():
    np.random.seed(2)
    crop = PairedRandomShrunkCrop(gt_patch_size=16, shrink_prob=1.0, min_scale=0.1)
    out = crop(_sample(h=20, w=64))
    assert out['gt'].shape == (16, 16, 3)


def test_gt_list_stays_a_list():
    sample = _sample()
    sample['gt'] = [sample['gt']]
    out = PairedRandomShrunkCrop(gt_patch_size=8)(sample)
    assert isinstance(out['gt'], list) and out['gt'][0].shape == (8, 8, 3)


def test_bad_input_names_the_problem():
    with pytest.raises(ValueError, match='smaller than gt_patch_size'):
        PairedRandomShrunkCrop(gt_patch_size=100)(_sample())
    sample = _sample()
    sample['scale'] = 2
    with pytest.raises(ValueError, match='scale must be 1'):
        PairedRandomShrunkCrop(gt_patch_size=8)(sample)
    sample = _sample()
    sample['img'][0] = sample['img'][0][:40]
    with pytest.raises(ValueError, match='differ in size'):
        PairedRandomShrunkCrop(gt_patch_size=8)(sample)
    with pytest.raises(ValueError, match='min_scale'):
        PairedRandomShrunkCrop(gt_patch_size=8, min_scale=0)
    with pytest.raises(ValueError, match='shrink_prob'):
        PairedRandomShrunkCrop(gt_patch_size=8, shrink_prob=1.5)
