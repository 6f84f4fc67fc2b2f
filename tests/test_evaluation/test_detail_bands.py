"""Detail bands: masks that partition the pixels at quantiles, and per-band PSNR."""
import numpy as np
import pytest

from fst_plugin.evaluation.detail_bands import band_psnr, detail_band_masks, detail_map


def test_detail_map_is_larger_at_an_edge_than_on_a_flat_region():
    frame = np.zeros((32, 32, 3), np.uint8)
    frame[:, 16:] = 200  # one vertical edge
    detail = detail_map(frame)
    assert detail.shape == (32, 32)
    assert detail[:, 14:18].mean() > 10 * detail[:, :6].mean()


def test_bands_partition_the_pixels_at_the_quantiles():
    detail = np.random.default_rng(0).random((3, 20, 30)).astype(np.float32)
    bands = detail_band_masks(detail, (0.5, 0.9))
    assert [name for name, _ in bands] == ['0-50%', '50-90%', '90-100%']
    masks = np.stack([m for _, m in bands])
    assert (masks.sum(0) == 1).all()  # every pixel in exactly one band
    fractions = masks.reshape(3, -1).mean(1)
    np.testing.assert_allclose(fractions, [0.5, 0.4, 0.1], atol=0.01)
    # lower bands hold lower detail
    assert detail[bands[0][1]].max() <= detail[bands[1][1]].min()


@pytest.mark.parametrize('quantiles', [(), (0.9, 0.5), (0.5, 1.0), (0.0,)])
def test_bad_quantiles_are_refused(quantiles):
    with pytest.raises(ValueError, match='quantiles'):
        detail_band_masks(np.zeros((1, 4, 4)), quantiles)


def test_band_psnr_matches_a_naive_reference():
    sharp = np.zeros((2, 4, 5, 3))
    low = np.zeros((2, 4, 5), bool)
    low[:, :2] = True
    frames = np.where(low[..., None], 0.1, 0.01) * np.ones_like(sharp)
    scores = band_psnr(frames, sharp, [('low', low), ('high', ~low)])
    assert scores['low'] == pytest.approx(20.0)   # MSE 0.01
    assert scores['high'] == pytest.approx(40.0)  # MSE 0.0001
    exact = band_psnr(sharp, sharp, [('all', np.ones((2, 4, 5), bool)),
                                     ('none', np.zeros((2, 4, 5), bool))])
    assert exact['all'] == float('inf') and np.isnan(exact['none'])
    with pytest.raises(ValueError, match='differ in shape'):
        band_psnr(frames[:1], sharp, [('low', low)])
