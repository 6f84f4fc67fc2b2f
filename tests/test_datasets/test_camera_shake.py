"""Camera-like blur of a photograph: linear light, dense sub-frames, noise, clip kinds."""
import numpy as np
import pytest

from fst_plugin.datasets.synthesis import random_texture
from fst_plugin.datasets.synthesis.camera_shake import (exposure_times, linear_to_srgb,
                                                        scale_to_blur, smooth_path,
                                                        srgb_to_linear, synthesize_clip)

CLEAN = dict(noise_prob=0.0, jpeg_prob=0.0, boost_prob=0.0, layers=(0, 0),
             frame_width=(400, 400))


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64))**2)
    return 10 * np.log10(255**2 / max(mse, 1e-10))


@pytest.fixture(scope='module')
def photo():
    return random_texture(400, 300, np.random.default_rng(3))


def test_srgb_round_trip_and_linear_light_averaging():
    x = np.linspace(0, 1, 101, dtype=np.float32)
    assert np.allclose(linear_to_srgb(srgb_to_linear(x)), x, atol=1e-5)
    # half black, half white, averaged: brighter in linear light than in sRGB values
    mean_linear = linear_to_srgb(np.mean(srgb_to_linear(np.array([0.0, 1.0]))))
    assert mean_linear > 0.7 > 0.5


def test_path_is_smooth_and_scaled_to_the_blur():
    rng = np.random.default_rng(0)
    times = exposure_times(5, 48, 0.8)
    assert times.shape == (5, 48) and times[1, 0] > times[0, -1]  # exposures do not overlap
    path = smooth_path(rng, times.ravel(), horizon=6).reshape(5, 48, 4)
    poses = scale_to_blur(path, 20.0, 100.0, rotation_share=0.0, zoom_share=0.0)
    lengths = np.linalg.norm(np.diff(poses[..., :2], axis=1), axis=-1).sum(1)
    assert np.mean(lengths) == pytest.approx(20.0, rel=1e-6)
    steps = np.linalg.norm(np.diff(poses[..., :2], axis=1), axis=-1)
    assert steps.max() < 1.5  # dense sub-frames: no step of more than a pixel or so
    assert np.all(poses[..., 2:] == 0)  # no rotation or zoom asked for


def test_blur_grows_with_the_camera_path(photo):
    scores = []
    for blur in (0.01, 4.0, 16.0):
        clip = synthesize_clip(np.random.default_rng(1), photo, (64, 64), 5, shake=CLEAN,
                               kind='moving', blur_px=blur)
        assert len(clip['img']) == 5 and clip['gt'].shape == (64, 64, 3)
        scores.append(psnr(clip['img'][2], clip['gt']))
    assert scores[0] > 40 and scores[0] > scores[1] > scores[2]


def test_few_subframes_leave_ghosts_and_a_range_is_drawn_per_clip(photo):
    # bright dots 2 px wide, blurred along 24 px: 48 sub-frames smear each into a faint
    # streak, 4 leave separate copies at a quarter of its brightness, as averaging a few
    # video frames does
    dots = np.zeros((300, 400, 3), np.uint8)
    dots[::30, ::30] = dots[1::30, 1::30] = dots[1::30, ::30] = dots[::30, 1::30] = 255
    shake = dict(CLEAN, rotation_share=(0, 0), zoom_share=(0, 0), linear_light=False)
    peak = {}
    for n in (4, 48):
        clip = synthesize_clip(np.random.default_rng(5), dots, (96, 96), 3,
                               shake=dict(shake, subframes=n), kind='moving', blur_px=24.0)
        peak[n] = int(clip['img'][1].max())
        assert clip['meta']['subframes'] == n
    assert peak[4] > 1.5 * peak[48]
    drawn = {synthesize_clip(np.random.default_rng(seed), photo, (32, 32), 3,
                             shake=dict(CLEAN, subframes=(5, 48)),
                             kind='moving')['meta']['subframes'] for seed in range(12)}
    assert len(drawn) > 3 and min(drawn) >= 5 and max(drawn) <= 48


def test_still_clip_repeats_one_exposure_and_sharp_clip_is_its_own_target(photo):
    still = synthesize_clip(np.random.default_rng(2), photo, (48, 48), 5, shake=CLEAN,
                            kind='still', blur_px=10.0)
    assert all(np.array_equal(f, still['img'][0]) for f in still['img'])
    assert psnr(still['img'][2], still['gt']) < 35  # blurred, with a sharp target
    noisy = dict(CLEAN, noise_prob=1.0)
    still = synthesize_clip(np.random.default_rng(2), photo, (48, 48), 5, shake=noisy,
                            kind='still', blur_px=10.0)
    assert not np.array_equal(still['img'][0], still['img'][1])  # each copy its own noise
    sharp = synthesize_clip(np.random.default_rng(3), photo, (48, 48), 5, shake=noisy,
                            kind='sharp')
    assert np.array_equal(sharp['gt'], sharp['img'][2])


def test_noise_follows_the_drawn_levels(photo):
    flat = np.full((300, 400, 3), 128, np.uint8)
    shake = dict(CLEAN, noise_prob=1.0, shot_noise=(4e-3, 4e-3), read_noise=(2e-3, 2e-3))
    clip = synthesize_clip(np.random.default_rng(4), flat, (96, 96), 3, shake=shake,
                           kind='moving', blur_px=2.0)
    frame = clip['img'][1].astype(np.float64) / 255
    linear = srgb_to_linear(frame)
    mean = float(srgb_to_linear(np.array(128 / 255.0)))
    expected = np.sqrt(mean * 4e-3 + 2e-3**2)
    assert np.std(linear) == pytest.approx(expected, rel=0.15)
    assert clip['meta']['shot_noise'] == pytest.approx(4e-3)


def test_all_targets_and_recorded_choices(photo):
    clip = synthesize_clip(np.random.default_rng(5), photo, (40, 32), 3, kind='moving',
                           blur_px=6.0, all_targets=True)
    assert [f.shape for f in clip['gt_frames']] == [(32, 40, 3)] * 3
    assert np.array_equal(clip['gt_frames'][1], clip['gt'])
    assert {'kind', 'blur_px', 'exposure', 'subframes', 'shot_noise', 'jpeg_quality',
            'highlight_boost', 'linear_light'} <= set(clip['meta'])
    with pytest.raises(ValueError, match='odd'):
        synthesize_clip(np.random.default_rng(5), photo, (40, 32), 4)


def test_sharp_target_is_the_middle_of_the_exposure_in_time():
    """Not the midpoint of the path's ends: a camera that speeds up within an exposure
    spends its middle moment well before the midpoint of where it went."""
    from fst_plugin.datasets.synthesis.camera_shake import middle_of_exposure
    times = np.linspace(0, 1, 5)
    poses = np.stack([times**3 * 20, np.zeros(5), np.zeros(5), np.zeros(5)], 1)
    assert middle_of_exposure(poses)[0] == pytest.approx(0.5**3 * 20)  # not 10
    even = np.stack([np.arange(4.0)] * 4, 1)
    assert np.allclose(middle_of_exposure(even), 1.5)
