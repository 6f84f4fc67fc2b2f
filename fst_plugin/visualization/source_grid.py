"""Before/after grids of one frame per test source, the frame chosen by a rule, not by eye.

A source in the GOPRO layout (``test/<sequence>/blur|sharp/*.png``) shows the middle frame of
its most blurred sequence (lowest mean PSNR of blurry against sharp), so the frame is fixed
before any model runs. A video without sharp frames (real camera blur) shows its least
sharp frame (lowest variance of the Laplacian) away from the ends. Every method restores
the frame from the window of frames around it, as it would inside the whole sequence.
"""
import glob
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..evaluation.unsharp_mask import psnr, unsharp_mask
from .comparison_grid import comparison_grid, most_blurred_box

# restores frame ``index`` of ``frames`` (RGB uint8 (h, w, 3) each) and returns it
Restorer = Callable[[List[np.ndarray], int], np.ndarray]


def read_rgb(path: str) -> np.ndarray:
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(f'cannot read image {path}')
    return np.ascontiguousarray(image[..., ::-1])


def most_blurred_sequence(data_root: str, split: str = 'test') -> Tuple[str, List[str]]:
    """The sequence folder of ``data_root/split`` whose blurry frames have the lowest mean
    PSNR against their sharp frames, and its frame file names in order.

    Raises:
        FileNotFoundError: no sequence with ``blur/`` and ``sharp/`` frames.
    """
    best = None
    for seq in sorted(glob.glob(osp.join(data_root, split, '*'))):
        names = sorted(osp.basename(p) for p in glob.glob(osp.join(seq, 'blur', '*.png')))
        names = [n for n in names if osp.isfile(osp.join(seq, 'sharp', n))]
        if not names:
            continue
        score = float(np.mean([psnr(read_rgb(osp.join(seq, 'blur', n)),
                                    read_rgb(osp.join(seq, 'sharp', n))) for n in names]))
        if best is None or score < best[0]:
            best = (score, seq, names)
    if best is None:
        raise FileNotFoundError(f'no sequence with blur/ and sharp/ frames under '
                                f'{osp.join(data_root, split)}')
    return best[1], best[2]


def least_sharp_frame(frames: Sequence[np.ndarray], margin: int) -> int:
    """Index of the frame with the lowest variance of the Laplacian of its grey image,
    ``margin`` frames or more away from both ends (the whole video when it is shorter)."""
    lo, hi = margin, len(frames) - margin
    if lo >= hi:
        lo, hi = 0, len(frames)
    sharpness = [cv2.Laplacian(cv2.cvtColor(frames[i], cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()
                 for i in range(lo, hi)]
    return lo + int(np.argmin(sharpness))


def window(frames: Sequence[np.ndarray], index: int, radius: int) -> Tuple[List[np.ndarray], int]:
    """The frames ``index - radius .. index + radius`` that exist, and ``index`` within them."""
    start = max(0, index - radius)
    return list(frames[start:index + radius + 1]), index - start


def source_grid(blurry: np.ndarray,
                sharp: Optional[np.ndarray],
                restored: Sequence[Tuple[str, np.ndarray]],
                unsharp: Optional[Tuple[float, float]] = None) -> Tuple[np.ndarray, dict]:
    """Grid blurry | unsharp mask | methods... | sharp, with PSNRs when ``sharp`` is given.

    The crop row zooms into the region where the blurry frame differs most from the sharp
    one; without a sharp frame, where the last method changed the frame most.

    Args:
        blurry (np.ndarray): RGB uint8 (h, w, 3).
        sharp (np.ndarray, optional): Its sharp frame, or None (real blur).
        restored (Sequence[tuple[str, np.ndarray]]): (method name, restored frame) pairs.
        unsharp (tuple[float, float], optional): (sigma, amount) of a tuned unsharp mask to
            show beside the methods.

    Returns:
        tuple[np.ndarray, dict]: the RGB grid and ``{column: PSNR or None}``.
    """
    columns = [('blurry', blurry)]
    if unsharp is not None:
        columns.append(('unsharp mask', unsharp_mask(blurry, *unsharp)))
    columns += list(restored)
    scores = {name: (psnr(image, sharp) if sharp is not None else None)
              for name, image in columns}
    tiles = [(f'{name} {scores[name]:.2f} dB' if sharp is not None else name, image)
             for name, image in columns]
    side = max(16, min(blurry.shape[:2]) // 4)
    if sharp is not None:
        tiles.append(('sharp', sharp))
        box = most_blurred_box(blurry, sharp, side)
    else:
        box = most_blurred_box(columns[-1][1], blurry, side)  # where the last one changed most
    return comparison_grid(tiles, box), scores


def grid_of_source(data_root: str, methods: Sequence[Tuple[str, Restorer]], radius: int,
                   unsharp: Optional[Tuple[float, float]] = None) -> Tuple[np.ndarray, dict]:
    """:func:`source_grid` of the middle frame of ``data_root``'s most blurred sequence.

    Args:
        data_root (str): A GOPRO-layout root (``test/<sequence>/blur|sharp``).
        methods (Sequence[tuple[str, Restorer]]): (name, restorer) pairs.
        radius (int): Frames each side of the shown frame that the methods read.
        unsharp (tuple[float, float], optional): Tuned unsharp mask (sigma, amount).

    Returns:
        tuple[np.ndarray, dict]: the grid and ``dict(sequence, frame, psnr={column: dB})``.
    """
    seq, names = most_blurred_sequence(data_root)
    index = len(names) // 2
    frames = [read_rgb(osp.join(seq, 'blur', n)) for n in names]
    sharp = read_rgb(osp.join(seq, 'sharp', names[index]))
    clip, at = window(frames, index, radius)
    restored = [(name, restore(clip, at)) for name, restore in methods]
    grid, scores = source_grid(frames[index], sharp, restored, unsharp)
    return grid, dict(sequence=osp.basename(seq), frame=names[index], psnr=scores)


def grid_of_video(frames: Sequence[np.ndarray], methods: Sequence[Tuple[str, Restorer]],
                  radius: int) -> Tuple[np.ndarray, dict]:
    """:func:`source_grid` (no sharp frame) of the least sharp frame of a real video.

    Returns:
        tuple[np.ndarray, dict]: the grid and ``dict(frame=index)``.
    """
    index = least_sharp_frame(frames, radius)
    clip, at = window(frames, index, radius)
    restored = [(name, restore(clip, at)) for name, restore in methods]
    grid, _ = source_grid(frames[index], None, restored)
    return grid, dict(frame=index)
