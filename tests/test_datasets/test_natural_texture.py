"""Dead-leaves canvases with depth-of-field defocus (ProceduralScene(texture='natural'))."""
import cv2
import numpy as np
import pytest

from fst_plugin.datasets.synthesis import (ProceduralScene, dead_leaves_texture, defocus,
                                           natural_texture, synthesize_footage_dataset)
from fst_plugin.datasets.synthesis.natural_texture import disc_kernel, power_law_radii


def test_radii_follow_the_scale_invariant_power_law():
    lo, hi = 2.0, 50.0
    radii = power_law_radii(np.random.default_rng(0), 200000, lo, hi)
    assert radii.min() >= lo and radii.max() <= hi
    for x in (3.0, 5.0, 10.0, 25.0):  # empirical CDF against (lo^-2 - x^-2) / (lo^-2 - hi^-2)
        expected = (lo ** -2 - x ** -2) / (lo ** -2 - hi ** -2)
        assert abs((radii <= x).mean() - expected) < 0.005


def test_dead_leaves_are_seeded_opaque_and_refuse_bad_radii():
    a = dead_leaves_texture(96, 64, np.random.default_rng(1))
    assert a.shape == (64, 96, 3) and a.dtype == np.uint8
    assert np.array_equal(a, dead_leaves_texture(96, 64, np.random.default_rng(1)))
    assert not np.array_equal(a, dead_leaves_texture(96, 64, np.random.default_rng(2)))
    # every leaf a near-white highlight: the canvas is covered by them (grain of a few levels)
    bright = dead_leaves_texture(96, 64, np.random.default_rng(1), bright_share=1.0)
    assert bright.mean() > 225
    with pytest.raises(ValueError, match='radius_range'):
        dead_leaves_texture(8, 8, np.random.default_rng(0), radius_range=(5, 2))


def test_disc_kernel_is_a_normalised_symmetric_disc():
    k = disc_kernel(3.0)
    assert k.shape == (7, 7) and abs(k.sum() - 1) < 1e-6
    assert np.allclose(k, k.T) and np.allclose(k, k[::-1])
    assert k[0, 0] == 0 and k[3, 0] > 0  # corner outside the disc, edge midpoint inside


def test_defocus_keeps_the_focal_plane_and_blurs_the_rest():
    yy, xx = np.mgrid[:96, :128]
    checker = (((yy // 2 + xx // 2) % 2) * 255).astype(np.uint8)
    img = np.repeat(checker[..., None], 3, axis=2)
    rng = np.random.default_rng(0)
    assert np.array_equal(defocus(img, rng, max_radius=0.0), img)
    assert np.array_equal(defocus(img, rng, max_radius=6.0, focus_share=1.0), img)
    out = defocus(img, np.random.default_rng(0), max_radius=6.0, focus_share=0.0)
    sharpness = [np.abs(cv2.Laplacian(x[..., 0].astype(np.float32), cv2.CV_32F)).mean()
                 for x in (img, out)]
    assert sharpness[1] < 0.5 * sharpness[0]
    assert abs(out.astype(float).mean() - img.astype(float).mean()) < 3  # blur keeps the mean


def test_natural_scene_moves_is_seeded_and_names_a_bad_texture():
    frames = ProceduralScene((64, 48), seed=3, shake=2.0, texture='natural').frames()
    a, b = next(frames), next(frames)
    assert a.shape == (48, 64, 3) and not np.array_equal(a, b)
    again = next(ProceduralScene((64, 48), seed=3, shake=2.0, texture='natural').frames())
    assert np.array_equal(a, again)
    with pytest.raises(ValueError, match="'leaves'"):
        ProceduralScene((64, 48), seed=3, texture='leaves')
    assert natural_texture(40, 30, np.random.default_rng(0), max_defocus=0).shape == (30, 40, 3)


def test_footage_recipe_writes_natural_procedural_sequences(tmp_path):
    meta = synthesize_footage_dataset(
        str(tmp_path), [], [], seed=0, splits=('train', ), log=lambda *a: None,
        recipe=dict(size=(48, 32), frames_per_seq=3, procedural_seqs=1, avg_range=(3, 3),
                    procedural_texture='natural'))
    (seq, ) = meta['sequences']
    assert seq['texture'] == 'natural' and seq['frames'] == 3
    blur = cv2.imread(str(tmp_path / 'train' / seq['name'] / 'blur' / '000002.png'))
    assert blur.shape == (32, 48, 3)
