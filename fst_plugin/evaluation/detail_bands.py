"""PSNR split by how much detail the sharp frame has around each pixel.

A frame-level PSNR mixes edges, where a deblurrer gains, with flat and moderately textured
regions, where changing anything costs. Splitting the pixels by the local detail of the
sharp frame shows where a model gains and where it loses
(``tools/analysis_tools/psnr_by_detail.py``).
"""
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np


def detail_map(sharp: np.ndarray, sigma: float = 2.0) -> np.ndarray:
    """Local detail of a sharp frame: ``|Laplacian|`` of its grey image, Gaussian-smoothed.

    Args:
        sharp (np.ndarray): ``(h, w, 3)`` uint8 RGB (or BGR: the grey weights differ
            little) or ``(h, w)`` grey frame.
        sigma (float): Smoothing of the Laplacian's magnitude, in pixels. Default: 2.

    Returns:
        np.ndarray: ``(h, w)`` float32, larger where there is more detail.
    """
    if sharp.ndim == 3:
        sharp = cv2.cvtColor(sharp, cv2.COLOR_RGB2GRAY)
    grey = sharp.astype(np.float32) / 255
    return cv2.GaussianBlur(np.abs(cv2.Laplacian(grey, cv2.CV_32F)), (0, 0), sigma)


def detail_band_masks(detail: np.ndarray, quantiles: Sequence[float] = (0.5, 0.9)
                      ) -> List[Tuple[str, np.ndarray]]:
    """Split pixels into bands of detail at quantiles taken over all the given frames.

    Args:
        detail (np.ndarray): ``(t, h, w)`` detail maps (:func:`detail_map`) of a sequence.
        quantiles (Sequence[float]): Increasing cut points in (0, 1). Default: (0.5, 0.9):
            the least detailed half, the 40 % above it, the top 10 %.

    Returns:
        list[tuple[str, np.ndarray]]: ``(name, (t, h, w) bool mask)`` per band, lowest
        detail first; the masks partition the pixels. Names give the quantile range,
        e.g. ``'0-50%'``.
    """
    q = list(quantiles)
    if not q or any(not 0 < v < 1 for v in q) or sorted(set(q)) != q:
        raise ValueError(f'quantiles must be increasing values in (0, 1), got {quantiles}')
    cuts = np.quantile(detail, q)
    edges = [0.0] + q + [1.0]
    bounds = [-np.inf] + list(cuts) + [np.inf]
    return [(f'{edges[i] * 100:g}-{edges[i + 1] * 100:g}%',
             (detail >= bounds[i]) & (detail < bounds[i + 1]))
            for i in range(len(bounds) - 1)]


def band_psnr(frames: np.ndarray, sharp: np.ndarray,
              bands: List[Tuple[str, np.ndarray]]) -> Dict[str, float]:
    """PSNR of ``frames`` against ``sharp`` over the pixels of each band (pooled MSE).

    Args:
        frames (np.ndarray): ``(t, h, w, c)`` images in [0, 1] (a model's output or the
            blurry input).
        sharp (np.ndarray): ``(t, h, w, c)`` sharp images in [0, 1].
        bands (list): :func:`detail_band_masks` output.

    Returns:
        dict[str, float]: band name -> PSNR in dB (``inf`` where the band matches exactly,
        ``nan`` for an empty band).
    """
    if frames.shape != sharp.shape:
        raise ValueError(f'frames {frames.shape} and sharp {sharp.shape} differ in shape')
    err = ((frames.astype(np.float64) - sharp.astype(np.float64)) ** 2).mean(-1)
    out = {}
    for name, mask in bands:
        if not mask.any():
            out[name] = float('nan')
            continue
        mse = err[mask].mean()
        out[name] = float('inf') if mse == 0 else float(10 * np.log10(1 / mse))
    return out
