"""RandomStillScene: a still scene stored several times with noise and averaged."""
import numpy as np
import pytest

from fst_plugin.datasets.transforms import RandomStillScene


def _sample(t=5, dtype=np.uint8):
    rng = np.random.default_rng(0)
    gt = rng.integers(20, 230, size=(24, 32, 3)).astype(dtype)
    blurry = [np.full_like(gt, 128) for _ in range(t)]  # unlike the target on purpose
    return dict(img=blurry, gt=gt)


def test_replaced_sample_is_the_target_up_to_the_noise():
    np.random.seed(0)
    sample = _sample()
    base = sample['gt'].astype(np.float32)
    out = RandomStillScene(prob=1.0, noise_sigma=(2.0, 2.0), windows=(3, ),
                           smooth_prob=0.0)(sample)
    assert out['still_scene'] is True
    assert len(out['img']) == 5 and all(f.dtype == np.uint8 for f in out['img'])
    target = out['gt'].astype(np.float32)
    # the target is one noisy stored frame: std 2 levels around the scene
    assert 1.5 < np.std(target - base) < 2.5
    for frame in out['img']:
        # each blurry frame averages 3 stored frames: noise std about 2 / sqrt(3)
        err = frame.astype(np.float32) - base
        assert abs(err.mean()) < 0.2 and 0.9 < err.std() < 1.5
    # the frames differ from each other (independent noise), not copies of one another
    assert np.any(out['img'][0] != out['img'][1])


def test_smoothed_noise_keeps_its_level_and_is_correlated():
    np.random.seed(1)
    sample = _sample(dtype=np.float32)
    base = sample['gt'].copy()
    out = RandomStillScene(prob=1.0, noise_sigma=(2.0, 2.0), windows=(1, ),
                           smooth_prob=1.0)(sample)
    noise = out['gt'] - base
    assert out['gt'].dtype == np.float32
    assert 1.5 < noise.std() < 2.5
    # neighbouring pixels share noise after the 3x3 box
    corr = np.corrcoef(noise[:, :-1].ravel(), noise[:, 1:].ravel())[0, 1]
    assert corr > 0.4


def test_prob_zero_leaves_the_sample_alone():
    sample = _sample()
    img, gt = list(sample['img']), sample['gt']
    out = RandomStillScene(prob=0.0)(sample)
    assert out['still_scene'] is False
    assert out['gt'] is gt and all(a is b for a, b in zip(out['img'], img))


def test_share_follows_prob():
    np.random.seed(2)
    still = RandomStillScene(prob=0.25)
    hits = sum(still(_sample(t=3))['still_scene'] for _ in range(400))
    assert 70 < hits < 130


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='prob'):
        RandomStillScene(prob=2)
    with pytest.raises(ValueError, match='windows'):
        RandomStillScene(windows=(0, ))
    with pytest.raises(ValueError, match='noise_sigma'):
        RandomStillScene(noise_sigma=(3, 1))
    sample = _sample()
    sample['gt'] = [sample['gt'], sample['gt']]
    with pytest.raises(ValueError, match='one target frame'):
        RandomStillScene(prob=1.0)(sample)
