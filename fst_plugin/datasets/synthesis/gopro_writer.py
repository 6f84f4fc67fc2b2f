"""Write a GOPRO_Large-layout dataset by averaging consecutive high-frame-rate frames."""
import json
import os
import os.path as osp
import time
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from fst_plugin.utils.video_io import iter_frames
from .procedural import ProceduralScene

GAMMA = 2.2  # GOPRO approximates the camera response by gamma 2.2 (Nah et al. 2017)


def average_window(frames: Sequence[np.ndarray]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blur a window of n sharp frames the way GOPRO was made.

    Args:
        frames (Sequence[np.ndarray]): n consecutive RGB uint8 frames (h, w, 3).

    Returns:
        tuple: ``blur`` (plain average of the stored values), ``blur_gamma`` (average in
        linear space: values ** 2.2 averaged, then ** (1 / 2.2)) and ``sharp`` (the middle
        frame, index n // 2), all uint8 (h, w, 3).
    """
    if len(frames) == 0:
        raise ValueError('cannot average an empty window')
    stack = np.stack(frames).astype(np.float64)
    blur = stack.mean(axis=0)
    blur_gamma = ((stack / 255.0)**GAMMA).mean(axis=0)**(1.0 / GAMMA) * 255.0
    to_u8 = lambda x: np.clip(np.round(x), 0, 255).astype(np.uint8)  # noqa: E731
    return to_u8(blur), to_u8(blur_gamma), np.ascontiguousarray(frames[len(frames) // 2])


def write_sequence(frames: Iterator[np.ndarray], seq_dir: str, num_frames: int, n_avg: int,
                   start_number: int) -> int:
    """Write ``num_frames`` blur/blur_gamma/sharp triples from non-overlapping windows.

    Returns:
        int: Frames written (fewer than ``num_frames`` if the source ran out).
    """
    for sub in ('blur', 'blur_gamma', 'sharp'):
        os.makedirs(osp.join(seq_dir, sub), exist_ok=True)
    written = 0
    for k in range(num_frames):
        window = [f for _, f in zip(range(n_avg), frames)]
        if len(window) < n_avg:
            break
        name = f'{start_number + k:06d}.png'
        for sub, img in zip(('blur', 'blur_gamma', 'sharp'), average_window(window)):
            path = osp.join(seq_dir, sub, name)
            if not cv2.imwrite(path, cv2.cvtColor(img, cv2.COLOR_RGB2BGR)):
                raise OSError(f'could not write {path}')
        written += 1
    return written


def synthesize_gopro(out_root: str,
                     source: str = 'procedural',
                     num_train: int = 4,
                     num_test: int = 2,
                     frames_per_seq: int = 20,
                     size: Optional[Tuple[int, int]] = (1280, 720),
                     avg_range: Tuple[int, int] = (7, 13),
                     seed: int = 0,
                     shake: float = 3.0,
                     log=print) -> dict:
    """Synthesize ``<out_root>/{train,test}/<seq>/{blur,blur_gamma,sharp}/<frame>.png``.

    Args:
        out_root (str): Dataset root to create (existing sequences are not touched; a
            sequence folder that already exists is an error).
        source (str): ``'procedural'`` (no download needed), a video file or a folder of
            high-frame-rate frames.
        num_train (int): Training sequences (procedural source). Default: 4.
        num_test (int): Test sequences (procedural source). Default: 2.
        frames_per_seq (int): Blurry/sharp pairs per sequence. Default: 20.
        size (tuple[int, int], optional): Output (width, height); a video or folder is
            resized to it when given, else kept at its own size. Default: (1280, 720).
        avg_range (tuple[int, int]): Inclusive range of n, frames averaged per blurry
            frame, drawn once per sequence as in GOPRO. Default: (7, 13).
        seed (int): Seed of scenes, n and frame numbers. Default: 0.
        shake (float): Camera speed scale of the procedural source (see
            ``ProceduralScene``); smaller means milder blur. Default: 3.0.
        log (callable): Progress printer. Default: ``print``.

    Returns:
        dict: The metadata also written to ``<out_root>/synthesis_meta.json``.
    """
    lo, hi = avg_range
    if not 1 <= lo <= hi:
        raise ValueError(f'avg_range must satisfy 1 <= low <= high, got {avg_range}')
    if frames_per_seq < 1:
        raise ValueError(f'frames_per_seq must be >= 1, got {frames_per_seq}')
    rng = np.random.default_rng(seed)
    t0 = time.time()
    sequences = []
    if source == 'procedural':
        plan = [('train', i) for i in range(num_train)] + [('test', i) for i in range(num_test)]
        for split, i in plan:
            scene_seed = int(rng.integers(2**31))
            scene = ProceduralScene(size, seed=scene_seed, shake=shake)
            sequences.append(
                _write(out_root, split, f'GOPR{9000 + len(sequences):04d}_{i:02d}_00',
                       scene.frames(), frames_per_seq, rng, lo, hi, log, t0,
                       dict(source='procedural', scene_seed=scene_seed)))
    else:
        stream = _resized(iter_frames(source), size)
        total = num_train + num_test
        for k in range(total):
            split = 'train' if k < num_train else 'test'
            meta = _write(out_root, split, f'{osp.splitext(osp.basename(source.rstrip("/")))[0]}'
                          f'_{k:02d}', stream, frames_per_seq, rng, lo, hi, log, t0,
                          dict(source=osp.abspath(source)))
            if meta['frames'] == 0:
                _remove_empty(osp.join(out_root, split, meta['name']))
                log(f'source {source} ran out of frames after {k} sequences')
                break
            sequences.append(meta)
        if not sequences:
            raise ValueError(f'{source} has fewer than {lo} frames: nothing to average')
    meta = dict(
        layout='GOPRO_Large',
        how='blur: mean of n consecutive sharp frames; blur_gamma: mean in linear space '
        f'(gamma {GAMMA}); sharp: middle frame; non-overlapping windows',
        seed=seed, avg_range=[lo, hi], size=list(size) if size else None, shake=shake,
        sequences=sequences)
    with open(osp.join(out_root, 'synthesis_meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    log(f'wrote {sum(s["frames"] for s in sequences)} frames in {len(sequences)} sequences '
        f'to {out_root} in {time.time() - t0:.1f}s')
    return meta


def _write(out_root, split, name, frames, frames_per_seq, rng, lo, hi, log, t0, extra) -> dict:
    seq_dir = osp.join(out_root, split, name)
    if osp.exists(seq_dir):
        raise FileExistsError(f'{seq_dir} already exists; choose another --out or remove it')
    n_avg = int(rng.integers(lo, hi + 1))
    start = int(rng.integers(1, 400))
    count = write_sequence(frames, seq_dir, frames_per_seq, n_avg, start)
    log(f'[{time.time() - t0:6.1f}s] {split}/{name}: {count} frames, n={n_avg}')
    return dict(split=split, name=name, frames=count, n_avg=n_avg, first_frame=start, **extra)


def _resized(frames: Iterable[np.ndarray], size) -> Iterator[np.ndarray]:
    for f in frames:
        if size and (f.shape[1], f.shape[0]) != tuple(size):
            f = cv2.resize(f, tuple(size), interpolation=cv2.INTER_AREA)
        yield f


def _remove_empty(seq_dir: str) -> None:
    for sub in ('blur', 'blur_gamma', 'sharp'):
        path = osp.join(seq_dir, sub)
        if osp.isdir(path) and not os.listdir(path):
            os.rmdir(path)
    if osp.isdir(seq_dir) and not os.listdir(seq_dir):
        os.rmdir(seq_dir)


def parse_size(text: str) -> Optional[Tuple[int, int]]:
    """'1280x720' -> (1280, 720); 'source' -> None (keep the source size)."""
    if text == 'source':
        return None
    try:
        w, h = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise ValueError(f"size must look like 1280x720 or be 'source', got {text!r}") from None
    if w < 8 or h < 8:
        raise ValueError(f'size {text} is too small')
    return w, h


__all__: List[str] = ['average_window', 'write_sequence', 'synthesize_gopro', 'parse_size']
