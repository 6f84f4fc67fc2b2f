"""Replace a training sample by a still scene filmed several times and averaged."""
from typing import Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomStillScene(BaseTransform):
    """Sometimes turn a sample into a still scene averaged the GOPRO way.

    With probability ``prob`` the sample's sharp target becomes a scene that does not move,
    filmed ``T * window`` times: each stored frame is the target plus its own Gaussian noise
    (the frame-to-frame noise and compression differences of real video of a still scene;
    low-passed by a 3x3 box with probability ``smooth_prob``, for compression's spatially
    correlated look). Blurry frame ``j`` is the mean of stored frames ``j * window ...
    j * window + window - 1``, the new target is the middle stored frame of the centre
    window. Nothing moves, so the best output is the input up to the noise: such samples
    teach a video deblurrer (FST, Suin and Rajagopalan, "Dynamic Scene Video Deblurring using
    Non-Local Attention") to leave nearly sharp averages of still video alone, where
    footage-trained weights over-sharpened soft edges.

    Input/output: ``results[lq_key]`` a list of T frames (h, w, c) and ``results[gt_key]``
    one frame (or a list of one) of the same size, uint8 or float in [0, 255]; a replaced
    sample keeps the types, and ``results['still_scene']`` says whether it was replaced.
    Place it after the crop (it costs ``T * window`` noise images of the frame's size).

    Args:
        prob (float): Probability of replacing a sample, in [0, 1]. Default: 0.25.
        noise_sigma (Sequence[float]): Range of the noise's standard deviation in 8-bit
            levels, drawn uniformly per sample. Default: (0.3, 2.0).
        windows (Sequence[int]): Stored frames averaged per blurry frame, one drawn per
            sample. Default: (2, 3, 4).
        smooth_prob (float): Probability of low-passing the noise. Default: 0.5.
        lq_key (str): Key of the blurry clip. Default: ``'img'``.
        gt_key (str): Key of the target. Default: ``'gt'``.
    """

    def __init__(self, prob: float = 0.25, noise_sigma: Sequence[float] = (0.3, 2.0),
                 windows: Sequence[int] = (2, 3, 4), smooth_prob: float = 0.5,
                 lq_key: str = 'img', gt_key: str = 'gt'):
        if not 0 <= prob <= 1 or not 0 <= smooth_prob <= 1:
            raise ValueError(f'RandomStillScene: prob and smooth_prob must be in [0, 1], '
                             f'got {prob} and {smooth_prob}')
        if len(noise_sigma) != 2 or not 0 <= noise_sigma[0] <= noise_sigma[1]:
            raise ValueError(f'RandomStillScene: noise_sigma must be (low, high) with '
                             f'0 <= low <= high, got {noise_sigma!r}')
        if not windows or any(int(k) != k or k < 1 for k in windows):
            raise ValueError(f'RandomStillScene: windows must be positive integers, '
                             f'got {windows!r}')
        self.prob = prob
        self.noise_sigma = tuple(float(s) for s in noise_sigma)
        self.windows = tuple(int(k) for k in windows)
        self.smooth_prob = smooth_prob
        self.lq_key = lq_key
        self.gt_key = gt_key

    def transform(self, results: dict) -> dict:
        results['still_scene'] = False
        if not self.prob or np.random.rand() >= self.prob:
            return results
        lq, gt = results[self.lq_key], results[self.gt_key]
        if not isinstance(lq, list):
            raise TypeError(f'RandomStillScene: results[{self.lq_key!r}] must be a list of '
                            f'frames, got {type(lq).__name__}')
        gt_is_list = isinstance(gt, list)
        if gt_is_list and len(gt) != 1:
            raise ValueError(f'RandomStillScene: expects one target frame, got {len(gt)}')
        base = gt[0] if gt_is_list else gt
        t = len(lq)
        window = int(np.random.choice(self.windows))
        sigma = np.random.uniform(*self.noise_sigma)
        smooth = np.random.rand() < self.smooth_prob
        clip, target = still_average(base.astype(np.float32), t, window, sigma, smooth)
        results[self.lq_key] = [f.astype(lq[0].dtype) for f in clip]
        target = target.astype(base.dtype)
        results[self.gt_key] = [target] if gt_is_list else target
        results['still_scene'] = True
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, noise_sigma={self.noise_sigma}, '
                f'windows={self.windows}, smooth_prob={self.smooth_prob})')


def still_average(base: np.ndarray, num_frames: int, window: int, sigma: float,
                  smooth: bool):
    """A still scene ``base`` (h, w, c) float in [0, 255] stored ``num_frames * window``
    times with noise of std ``sigma`` (low-passed by a 3x3 box and rescaled when ``smooth``)
    -> (clip (num_frames, h, w, c), target (h, w, c)), both rounded floats in [0, 255]."""
    n = num_frames * window
    noise = np.random.standard_normal((n, *base.shape)).astype(np.float32)
    if smooth:
        noise = np.stack([cv2.blur(x, (3, 3), borderType=cv2.BORDER_REPLICATE).reshape(x.shape)
                          for x in noise])
        noise /= max(float(noise.std()), 1e-6)
    stored = np.clip(np.round(base[None] + sigma * noise), 0, 255)
    clip = np.round(stored.reshape(num_frames, window, *base.shape).mean(axis=1))
    target = stored[(num_frames // 2) * window + window // 2]
    return clip, target
