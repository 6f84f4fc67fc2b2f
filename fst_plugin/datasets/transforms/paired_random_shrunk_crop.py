"""A paired random crop that sometimes cuts a larger window and shrinks it to the crop size."""
from typing import List

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PairedRandomShrunkCrop(BaseTransform):
    """Crop a blurry clip and its sharp target at one random place; sometimes shrink it.

    With probability ``shrink_prob`` the window is ``round(gt_patch_size / s)`` pixels wide,
    ``s`` drawn uniformly from ``[min_scale, 1]`` (at most the frame's shorter side), and
    inputs and target alike are shrunk to ``gt_patch_size`` with area averaging. The sample
    then holds finer, denser detail than the clip has at its stored size (thin structures
    such as spokes), and its blur is shrunk in the same proportion, as when footage is
    filmed at a higher resolution and viewed smaller. Otherwise it is MMagic's
    ``PairedRandomCrop`` (scale 1). Used for video deblurring with FST (Suin and
    Rajagopalan, "Dynamic Scene Video Deblurring using Non-Local Attention").

    Input/output: ``results[lq_key]`` a list of T frames (h, w, c) and ``results[gt_key]``
    one frame or a list of frames of the same (h, w); afterwards every frame is
    (gt_patch_size, gt_patch_size, c), dtype kept. ``results['scale']``, where present,
    must be 1 (deblurring, not super-resolution).

    Args:
        gt_patch_size (int): Side of the output crop in pixels.
        shrink_prob (float): Probability of a shrunk crop, in [0, 1]. Default: 0.3.
        min_scale (float): Smallest shrink factor, in (0, 1]. Default: 0.6.
        lq_key (str): Key of the blurry clip. Default: ``'img'``.
        gt_key (str): Key of the target. Default: ``'gt'``.
    """

    def __init__(self, gt_patch_size: int, shrink_prob: float = 0.3,
                 min_scale: float = 0.6, lq_key: str = 'img', gt_key: str = 'gt'):
        if not isinstance(gt_patch_size, int) or gt_patch_size < 1:
            raise ValueError(f'PairedRandomShrunkCrop: gt_patch_size must be a positive '
                             f'integer, got {gt_patch_size!r}')
        if not 0 <= shrink_prob <= 1:
            raise ValueError(f'PairedRandomShrunkCrop: shrink_prob must be in [0, 1], '
                             f'got {shrink_prob}')
        if not 0 < min_scale <= 1:
            raise ValueError(f'PairedRandomShrunkCrop: min_scale must be in (0, 1], '
                             f'got {min_scale}')
        self.gt_patch_size = gt_patch_size
        self.shrink_prob = shrink_prob
        self.min_scale = min_scale
        self.lq_key = lq_key
        self.gt_key = gt_key

    def transform(self, results: dict) -> dict:
        if results.get('scale', 1) != 1:
            raise ValueError(f'PairedRandomShrunkCrop: scale must be 1, got '
                             f'{results["scale"]}')
        lq, gt = results[self.lq_key], results[self.gt_key]
        lq_frames = lq if isinstance(lq, list) else [lq]
        gt_frames = gt if isinstance(gt, list) else [gt]
        h, w = gt_frames[0].shape[:2]
        size = self.gt_patch_size
        where = results.get('gt_path', results.get('key', 'this sample'))
        for frame in lq_frames + gt_frames:
            if frame.shape[:2] != (h, w):
                raise ValueError(f'PairedRandomShrunkCrop: frames of {where} differ in size '
                                 f'({frame.shape[:2]} and {(h, w)})')
        if h < size or w < size:
            raise ValueError(f'PairedRandomShrunkCrop: {where} is {w}x{h}, smaller than '
                             f'gt_patch_size {size}')
        cut = size
        if self.shrink_prob and np.random.rand() < self.shrink_prob:
            cut = min(int(round(size / np.random.uniform(self.min_scale, 1.0))), h, w)
        top = np.random.randint(h - cut + 1)
        left = np.random.randint(w - cut + 1)
        lq_frames = self._cut(lq_frames, top, left, cut)
        gt_frames = self._cut(gt_frames, top, left, cut)
        results[self.lq_key] = lq_frames if isinstance(lq, list) else lq_frames[0]
        results[self.gt_key] = gt_frames if isinstance(gt, list) else gt_frames[0]
        return results

    def _cut(self, frames: List[np.ndarray], top: int, left: int, cut: int):
        """Window (top, left, cut x cut) of every frame, shrunk to gt_patch_size."""
        size = self.gt_patch_size
        out = []
        for frame in frames:
            patch = frame[top:top + cut, left:left + cut]
            if cut != size:
                shrunk = cv2.resize(patch, (size, size), interpolation=cv2.INTER_AREA)
                patch = shrunk.reshape(size, size, *patch.shape[2:])
            out.append(patch)
        return out

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(gt_patch_size={self.gt_patch_size}, '
                f'shrink_prob={self.shrink_prob}, min_scale={self.min_scale})')
