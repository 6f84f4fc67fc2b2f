"""Camera-motion blur of real frames: continuous, seeded, of the asked magnitude."""
import cv2
import numpy as np
import pytest

from fst_plugin.datasets.synthesis import CameraMotionScene, average_window


def _texture(h=72, w=96, seed=0):
    rng = np.random.default_rng(seed)
    img = cv2.resize(rng.integers(0, 256, (h // 4, w // 4, 3)).astype(np.uint8), (w, h),
                     interpolation=cv2.INTER_NEAREST)
    return img


def _blurry_psnr(blur_px, n_avg=9, windows=4, seed=0):
    frames = [_texture(seed=s) for s in range(windows)]
    scene = CameraMotionScene(frames, (64, 48), n_avg=n_avg, blur_px=blur_px, seed=seed,
                              num_layers=0)
    stream = scene.frames_stream()
    psnrs = []
    for _ in range(windows):
        blur, _, sharp = average_window([next(stream) for _ in range(n_avg)])
        psnrs.append(cv2.PSNR(blur, sharp))
    return float(np.mean(psnrs))


def test_no_motion_means_no_blur():
    frames = [_texture(seed=1)]
    scene = CameraMotionScene(frames, (64, 48), n_avg=5, blur_px=0.0, seed=0, num_layers=0)
    window = list(scene.frames_stream())
    assert len(window) == 5
    for f in window[1:]:
        np.testing.assert_array_equal(f, window[0])


def test_blur_grows_with_magnitude():
    mild, medium, strong = (_blurry_psnr(b) for b in (1.0, 6.0, 20.0))
    assert mild > medium > strong, (mild, medium, strong)
    assert strong < 25 < mild


def test_camera_path_per_exposure_matches_blur_px():
    frames = [_texture()] * 60
    for blur_px in (4.0, 16.0):
        scene = CameraMotionScene(frames, (64, 48), n_avg=10, blur_px=blur_px, seed=2,
                                  num_layers=0)
        paths = []
        for _ in range(60):
            steps = []
            for _ in range(10):
                scene._step()
                steps.append(np.hypot(*scene.vel[:2]))
            paths.append(sum(steps))
        # the path length of the image centre during one exposure, averaged over 60 windows
        assert 0.5 * blur_px < np.mean(paths) < 2.0 * blur_px, (blur_px, np.mean(paths))


def test_motion_is_continuous_and_seeded():
    frames = [_texture(seed=s) for s in range(3)]
    a = list(CameraMotionScene(frames, (64, 48), 8, 8.0, seed=5).frames_stream())
    b = list(CameraMotionScene(frames, (64, 48), 8, 8.0, seed=5).frames_stream())
    assert len(a) == 24
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    c = list(CameraMotionScene(frames, (64, 48), 8, 8.0, seed=6).frames_stream())
    assert any(np.any(x != y) for x, y in zip(a, c))
    # sub-frame steps are small (smooth trajectory); real content changes between windows
    within = np.mean([np.abs(a[i + 1].astype(int) - a[i]).mean() for i in range(7)])
    across = np.abs(a[8].astype(int) - a[7]).mean()
    assert within < across


def test_errors():
    with pytest.raises(ValueError, match='at least one'):
        CameraMotionScene([], (8, 8), 3, 1.0, seed=0)
    with pytest.raises(ValueError, match='larger than the footage'):
        CameraMotionScene([_texture()], (200, 48), 3, 1.0, seed=0)
    with pytest.raises(ValueError, match='n_avg'):
        CameraMotionScene([_texture()], (64, 48), 0, 1.0, seed=0)
