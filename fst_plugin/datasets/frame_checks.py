"""Decode checks for frame files, shared by the dataset loader and tools/dataset_converters/check_dataset.py."""
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

CHANNEL_NOTES = {
    1: 'grayscale: converted to RGB by repeating the channel (color_type="color")',
    2: 'grayscale + alpha: converted to RGB, alpha dropped (color_type="color")',
    4: 'RGBA: converted to RGB, alpha dropped (color_type="color")',
}


def read_frame(path: str) -> np.ndarray:
    """Decode one frame file as stored (``IMREAD_UNCHANGED``).

    Raises:
        ValueError: the file is missing, empty, a broken or looping symlink, or cannot be
            decoded (truncated, not an image); the message names the file.
    """
    if osp.islink(path) and not osp.exists(path):
        raise ValueError(f'{path}: broken or looping symbolic link')
    if not osp.isfile(path):
        raise ValueError(f'{path}: missing')
    if osp.getsize(path) == 0:
        raise ValueError(f'{path}: empty file (0 bytes)')
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ValueError(f'{path}: cannot be decoded (truncated or not an image)')
    return img


def frame_shape(img: np.ndarray) -> Tuple[int, int, int]:
    """(h, w, channels) of a decoded frame."""
    return img.shape[0], img.shape[1], 1 if img.ndim == 2 else img.shape[2]


def diagnose_sample(img_paths: Sequence[str], gt_paths: Sequence[str],
                    crop_size: Optional[int] = None) -> List[str]:
    """Problems of one sample's files, each naming the file: undecodable frames,
    blurry/sharp frames of different sizes, frames smaller than ``crop_size``."""
    problems, shapes = [], {}
    for path in list(img_paths) + list(gt_paths):
        if path in shapes:
            continue
        try:
            shapes[path] = frame_shape(read_frame(path))
        except ValueError as err:
            problems.append(str(err))
    sizes = {p: s[:2] for p, s in shapes.items()}
    if sizes:
        ref_path = next(iter(sizes))
        for path, size in sizes.items():
            if size != sizes[ref_path]:
                problems.append(f'{path} is {size[1]}x{size[0]} but {ref_path} is '
                                f'{sizes[ref_path][1]}x{sizes[ref_path][0]} (w x h)')
        if crop_size:
            small = [p for p, (h, w) in sizes.items() if min(h, w) < crop_size]
            if small:
                h, w = sizes[small[0]]
                problems.append(f'{small[0]} ({w}x{h}) is smaller than the training crop '
                                f'{crop_size}x{crop_size}')
    return problems


def is_loop_or_broken_link(path: str) -> bool:
    """True for a symlink that cannot be resolved (dangling or a cycle)."""
    if not osp.islink(path):
        return False
    try:
        os.stat(path)
    except OSError:
        return True
    return False
