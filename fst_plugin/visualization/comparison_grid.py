"""Side-by-side image grids: blurry | method 1 | ... | sharp, with a zoomed crop row."""
from typing import List, Sequence, Tuple

import cv2
import numpy as np


def most_blurred_box(blurry: np.ndarray, sharp: np.ndarray, size: int) -> Tuple[int, int, int]:
    """Top-left (y, x) and side of the ``size`` square where blurry differs most from sharp.

    Args:
        blurry, sharp (np.ndarray): (h, w, 3) images.
        size (int): Crop side (clipped to the image).
    """
    h, w = sharp.shape[:2]
    size = max(1, min(size, h, w))
    err = np.abs(blurry.astype(np.float32) - sharp.astype(np.float32)).mean(axis=2)
    score = cv2.boxFilter(err, -1, (size, size), normalize=True, borderType=cv2.BORDER_CONSTANT)
    half = size // 2
    valid = score[half:h - size + half + 1, half:w - size + half + 1]
    y, x = np.unravel_index(int(np.argmax(valid)), valid.shape)
    return int(y), int(x), size


def _label(img: np.ndarray, text: str) -> np.ndarray:
    img = np.ascontiguousarray(img)
    scale = max(0.35, img.shape[1] / 640)
    thick = max(1, int(round(scale * 2)))
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    cv2.rectangle(img, (0, 0), (tw + 6, th + base + 6), (0, 0, 0), -1)
    cv2.putText(img, text, (3, th + 3), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255),
                thick, cv2.LINE_AA)
    return img


def comparison_grid(tiles: Sequence[Tuple[str, np.ndarray]], box: Tuple[int, int, int],
                    zoom: int = 3, gap: int = 4) -> np.ndarray:
    """One row of full frames (box outlined) over one row of zoomed crops.

    Args:
        tiles (Sequence[tuple[str, np.ndarray]]): (label, RGB uint8 image (h, w, 3)) in
            column order, e.g. blurry, methods..., sharp; all the same size.
        box (tuple[int, int, int]): (y, x, side) of the crop.
        zoom (int): Nearest-neighbour magnification of the crops; the crop row is then
            scaled to the frame width if wider. Default: 3.
        gap (int): White pixels between tiles. Default: 4.

    Returns:
        np.ndarray: RGB uint8 grid.
    """
    y, x, s = box
    frames: List[np.ndarray] = []
    crops: List[np.ndarray] = []
    for label, img in tiles:
        frame = _label(img.copy(), label)
        cv2.rectangle(frame, (x, y), (x + s - 1, y + s - 1), (255, 220, 0), 1)
        frames.append(frame)
        crop = cv2.resize(img[y:y + s, x:x + s], (s * zoom, s * zoom),
                          interpolation=cv2.INTER_NEAREST)
        crops.append(crop)
    h, w = frames[0].shape[:2]
    if crops[0].shape[1] > w:
        crops = [cv2.resize(c, (w, w), interpolation=cv2.INTER_NEAREST) for c in crops]

    def row(images):
        hh = max(i.shape[0] for i in images)
        padded = [np.pad(i, ((0, hh - i.shape[0]), (0, w - i.shape[1] + gap), (0, 0)),
                         constant_values=255) for i in images]
        return np.concatenate(padded, axis=1)

    top, bottom = row(frames), row(crops)
    spacer = np.full((gap, top.shape[1], 3), 255, np.uint8)
    return np.concatenate([top, spacer, bottom], axis=0)
