"""Streaming frame readers for video files and frame folders (RGB uint8, one at a time)."""
import os
import os.path as osp
import re
from typing import Iterator, Optional, Tuple

import cv2
import numpy as np

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.m4v', '.webm')
IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')


def is_video_file(path: str) -> bool:
    return osp.isfile(path) and path.lower().endswith(VIDEO_EXTENSIONS)


def frame_sort_key(name: str):
    """Natural order: frame numbers compared as numbers (``9.png`` before ``10.png``)."""
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r'(\d+)', name)]


def list_image_files(folder: str):
    """Image files of a folder in natural order (frame numbers compared as numbers)."""
    names = [n for n in os.listdir(folder) if n.lower().endswith(IMG_EXTENSIONS)]
    return [osp.join(folder, n) for n in sorted(names, key=frame_sort_key)]


def iter_frames(source: str, max_frames: Optional[int] = None) -> Iterator[np.ndarray]:
    """Yield RGB uint8 frames (h, w, 3) of a video file or a frame folder, streaming.

    Raises:
        FileNotFoundError: ``source`` does not exist.
        ValueError: It cannot be opened or decoded, or holds no frame.
    """
    if not osp.exists(source):
        raise FileNotFoundError(f'{source} does not exist')
    count = 0
    if osp.isdir(source):
        files = list_image_files(source)
        if not files:
            raise ValueError(f'{source} holds no image frames ({", ".join(IMG_EXTENSIONS)})')
        for path in files[:max_frames]:
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                raise ValueError(f'cannot decode frame {path}')
            yield cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return
    cap = cv2.VideoCapture(source)
    if not cap.isOpened():
        raise ValueError(f'cannot open video {source} (unsupported codec or not a video)')
    try:
        while max_frames is None or count < max_frames:
            ok, img = cap.read()
            if not ok:
                break
            count += 1
            yield cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    finally:
        cap.release()
    if count == 0:
        raise ValueError(f'video {source} has no decodable frame')


def video_properties(source: str) -> Tuple[float, int, int, int]:
    """(fps, frame count, width, height) of a video file, as its container reports them."""
    cap = cv2.VideoCapture(source)
    if not cap.isOpened():
        raise ValueError(f'cannot open video {source} (unsupported codec or not a video)')
    try:
        return (cap.get(cv2.CAP_PROP_FPS), int(cap.get(cv2.CAP_PROP_FRAME_COUNT)),
                int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    finally:
        cap.release()
