"""Load clips (and a random crop of them) from a frame store instead of decoding images."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS
from ..frame_store import FrameStoreReader


@TRANSFORMS.register_module()
class LoadFramesFromStore(BaseTransform):
    """Read a sample's blurry clip and sharp frame(s) from memory-mapped frame-store arrays.

    Replaces ``LoadImageFromFile`` (``img`` and ``gt``) and, with ``gt_patch_size``,
    MMagic's ``PairedRandomCrop`` too: the crop position is drawn exactly as
    ``PairedRandomCrop`` draws it (``np.random.randint`` for the top, then the left), so for
    the same seed both paths give identical crops, but only the crop's rows are read and
    nothing is decoded. Needs the fields that ``VideoDeblurDataset(frame_store=...)`` adds
    to each sample: ``img_store``/``gt_store`` (array paths), ``img_index`` (T frame
    indices), ``gt_index`` (one index or a list) and ``store_size`` (h, w).

    Output: ``img`` a list of T (h, w, 3) uint8 RGB frames, ``gt`` one frame or a list, as
    ``LoadImageFromFile(channel_order='rgb')`` gives them, with the same shape fields.

    Args:
        gt_patch_size (int, optional): Side of the random square crop; None reads whole
            frames (testing). Default: None.
    """

    def __init__(self, gt_patch_size: Optional[int] = None):
        self.gt_patch_size = gt_patch_size
        self.reader = FrameStoreReader()

    def transform(self, results: dict) -> dict:
        h, w = results['store_size']
        box = None
        if self.gt_patch_size is not None:
            size = self.gt_patch_size
            if h < size or w < size:
                raise ValueError(f'frames of {results["img_store"]} are {w}x{h}, smaller than '
                                 f'the crop {size}x{size}')
            top = np.random.randint(h - size + 1)
            left = np.random.randint(w - size + 1)
            box = (top, left, size, size)
        results['img'] = self.reader.read(results['img_store'], results['img_index'], box)
        gt_index = results['gt_index']
        many = isinstance(gt_index, (list, tuple))
        gts = self.reader.read(results['gt_store'], gt_index if many else [gt_index], box)
        results['gt'] = gts if many else gts[0]
        for key in ('img', 'gt'):
            first = results[key][0] if isinstance(results[key], list) else results[key]
            results[f'{key}_shape'] = first.shape[:2]
            results[f'ori_{key}_shape'] = (h, w)
            results[f'{key}_channel_order'] = 'rgb'
            results[f'{key}_color_type'] = 'color'
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(gt_patch_size={self.gt_patch_size})'
