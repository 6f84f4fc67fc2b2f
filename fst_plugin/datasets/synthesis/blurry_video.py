"""A blurry video file made like GOPRO (averaged high-rate frames), for demos and tests."""
from typing import Tuple

import cv2

from .gopro_writer import average_window
from .procedural import ProceduralScene


def write_blurry_video(path: str, size: Tuple[int, int], num_frames: int, fps: float = 30.0,
                       n_avg: int = 7, seed: int = 0, shake: float = 1.0,
                       fourcc: str = 'mp4v') -> None:
    """Write ``num_frames`` blurry frames of a procedural scene to a video file.

    Each output frame is the mean of ``n_avg`` consecutive high-rate frames (GOPRO's
    recipe), streamed: memory holds one window.

    Args:
        path (str): Output video file (``.mp4`` with ``mp4v``, ``.avi`` with ``MJPG``).
        size (tuple[int, int]): (width, height).
        num_frames (int): Frames to write.
        fps (float): Frames per second in the container. Default: 30.
        n_avg (int): High-rate frames averaged per blurry frame. Default: 7.
        seed (int): Scene seed. Default: 0.
        shake (float): Camera shake of the scene. Default: 1.0.
        fourcc (str): Codec. Default: ``'mp4v'``.
    """
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), fps, size)
    if not writer.isOpened():
        raise ValueError(f'cannot write {path} with codec {fourcc!r}')
    scene = ProceduralScene(size, seed=seed, shake=shake).frames()
    try:
        for _ in range(num_frames):
            blur, _, _ = average_window([next(scene) for _ in range(n_avg)])
            writer.write(cv2.cvtColor(blur, cv2.COLOR_RGB2BGR))
    finally:
        writer.release()
