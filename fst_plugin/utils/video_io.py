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


class FrameWriter:
    """Write RGB uint8 frames to a video file (OpenCV) or to a folder of PNG files.

    Args:
        target (str): ``*.mp4``/``*.avi``/``*.mov``/... file, or a folder.
        fps (float): Frames per second of a video file. Default: 24.
        names (list[str], optional): File names for a folder (e.g. the input's names);
            default ``000000.png``, ``000001.png``, ...
        fourcc (str, optional): Video codec; default ``mp4v`` for mp4/mov/m4v, ``MJPG``
            for avi.
    """

    def __init__(self, target: str, fps: float = 24.0, names=None, fourcc: Optional[str] = None):
        self.target, self.fps, self.names = target, fps, names
        self.is_video = target.lower().endswith(VIDEO_EXTENSIONS)
        if not self.is_video and osp.splitext(target)[1]:
            raise ValueError(f'output {target}: use a video file ({", ".join(VIDEO_EXTENSIONS)})'
                             ' or a folder name without extension')
        self.fourcc = fourcc or ('MJPG' if target.lower().endswith('.avi') else 'mp4v')
        self.count = 0
        self._writer = None
        folder = osp.dirname(osp.abspath(target)) if self.is_video else target
        os.makedirs(folder, exist_ok=True)

    def write(self, frame: np.ndarray) -> None:
        """Append one RGB uint8 frame (h, w, 3)."""
        bgr = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
        if self.is_video:
            if self._writer is None:
                h, w = frame.shape[:2]
                self._writer = cv2.VideoWriter(self.target, cv2.VideoWriter_fourcc(*self.fourcc),
                                               self.fps, (w, h))
                if not self._writer.isOpened():
                    raise ValueError(f'cannot write {self.target} with codec {self.fourcc!r} '
                                     '(this OpenCV build lacks it); use .avi (MJPG) or a folder')
            self._writer.write(bgr)
        else:
            name = self.names[self.count] if self.names and self.count < len(self.names) \
                else f'{self.count:06d}.png'
            path = osp.join(self.target, osp.splitext(name)[0] + '.png')
            if not cv2.imwrite(path, bgr):
                raise OSError(f'cannot write {path}')
        self.count += 1

    def close(self) -> None:
        """Finish the file."""
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
