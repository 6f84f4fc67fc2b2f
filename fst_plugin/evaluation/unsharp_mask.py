"""A tuned unsharp mask: the sharpening filter every learned deblurrer must beat clearly."""
import glob
import os.path as osp
from itertools import product
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np

SIGMAS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
AMOUNTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def unsharp_mask(image: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    """``image + amount * (image - gaussian(image, sigma))``, uint8 RGB in and out."""
    x = image.astype(np.float32)
    blurred = cv2.GaussianBlur(x, (0, 0), sigma)
    return np.clip(np.round(x + amount * (x - blurred)), 0, 255).astype(np.uint8)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64))**2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def read_pairs(data_root: str, split: str = 'test', blur_dir: str = 'blur',
               sharp_dir: str = 'sharp') -> List[Tuple[np.ndarray, np.ndarray]]:
    """Every (blurry, sharp) frame pair of a GOPRO-layout split, RGB uint8."""
    pairs = []
    for seq in sorted(glob.glob(osp.join(data_root, split, '*'))):
        for path in sorted(glob.glob(osp.join(seq, blur_dir, '*.png'))):
            sharp = osp.join(seq, sharp_dir, osp.basename(path))
            pairs.append((cv2.imread(path)[..., ::-1], cv2.imread(sharp)[..., ::-1]))
    if not pairs:
        raise FileNotFoundError(f'no {blur_dir}/ and {sharp_dir}/ frames under '
                                f'{osp.join(data_root, split)}')
    return pairs


def tune_unsharp_mask(pairs: Sequence[Tuple[np.ndarray, np.ndarray]],
                      sigmas: Sequence[float] = SIGMAS,
                      amounts: Sequence[float] = AMOUNTS) -> Dict:
    """The (sigma, amount) with the best mean PSNR over ``pairs`` (tuned on the very frames
    it is scored on: an upper bound for the filter) and that PSNR; amount 0 is the input."""
    best = None
    for sigma, amount in product(sigmas, amounts):
        score = float(np.mean([psnr(unsharp_mask(b, sigma, amount), s) for b, s in pairs]))
        if best is None or score > best['PSNR']:
            best = dict(PSNR=score, sigma=sigma, amount=amount)
    best['input_PSNR'] = float(np.mean([psnr(b, s) for b, s in pairs]))
    return best
