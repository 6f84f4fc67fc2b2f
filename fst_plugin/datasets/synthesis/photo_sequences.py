"""GOPRO-layout test and validation sequences of photographs blurred by a moving camera."""
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .camera_shake import DEFAULT_SHAKE, synthesize_clip

# 'camera': the project's synthesis (linear light, dense sub-frames, noise, highlights);
# 'average': plain averaging of 7 sharp frames along the path in sRGB values, no noise
BLUR_MODES = {
    'camera': dict(still_prob=0.0, sharp_prob=0.0),
    'average': dict(still_prob=0.0, sharp_prob=0.0, subframes=7, linear_light=False,
                    noise_prob=0.0, jpeg_prob=0.0, boost_prob=0.0, layers=(0, 0)),
}


def write_photo_sequences(out_root: str,
                          photos: Dict[str, List[str]],
                          size: Tuple[int, int],
                          mode: str = 'camera',
                          frames_per_seq: int = 5,
                          blur_px: Tuple[float, float] = (4.0, 32.0),
                          frame_width: Optional[Tuple[float, float]] = None,
                          max_photos: Optional[int] = None,
                          split: str = 'test',
                          seed: int = 0,
                          kind: str = 'moving',
                          log: Callable = print) -> dict:
    """Write ``<out_root>/<split>/<source>_<photo>/{blur,sharp}/<frame>.png``, one sequence
    per photograph.

    Args:
        out_root (str): Dataset root (a sequence folder that exists is an error).
        photos (dict): Source name -> photo paths.
        size (tuple[int, int]): Output (width, height).
        mode (str): A key of :data:`BLUR_MODES`. Default: ``'camera'``.
        frames_per_seq (int): Frames per sequence, odd; every frame has its sharp frame.
            Default: 5.
        blur_px (tuple[float, float]): Camera path per exposure in output pixels,
            log-uniform. Default: (4, 32).
        frame_width (tuple[float, float], optional): The photo is seen as a frame this wide
            (log-uniform). Default: the output width to twice it.
        max_photos (int, optional): At most this many photos per source (the first ones).
        split (str): Split folder. Default: ``'test'``.
        seed (int): Seed of every draw. Default: 0.
        kind (str): ``'moving'`` (the camera moves through the clip) or ``'still'`` (one
            blurred exposure repeated, each copy with its own noise: nothing but the image
            content can be deblurred). Default: ``'moving'``.
        log (callable): Progress printer. Default: ``print``.

    Returns:
        dict: Metadata, also written to ``<out_root>/synthesis_meta_<split>.json``.
    """
    if kind not in ('moving', 'still'):
        raise ValueError(f"kind must be 'moving' or 'still', got {kind!r}")
    if mode not in BLUR_MODES:
        raise ValueError(f'mode must be one of {sorted(BLUR_MODES)}, got {mode!r}')
    width = frame_width or (size[0], 2 * size[0])
    shake = dict(BLUR_MODES[mode], blur_px=tuple(blur_px), frame_width=tuple(width))
    rng = np.random.default_rng(seed)
    sequences, t0 = [], time.time()
    for source in sorted(photos):
        for path in sorted(photos[source])[:max_photos]:
            stem = osp.splitext(osp.basename(path))[0]
            name = f'{source}_{stem}'
            seq_dir = osp.join(out_root, split, name)
            if osp.exists(seq_dir):
                raise FileExistsError(f'{seq_dir} already exists; choose another --out')
            image = cv2.imread(path, cv2.IMREAD_COLOR)
            if image is None:
                raise ValueError(f'cannot decode {path}')
            clip = synthesize_clip(np.random.default_rng(rng.integers(2**63)),
                                   np.ascontiguousarray(image[..., ::-1]), size,
                                   frames_per_seq, shake=shake, kind=kind,
                                   all_targets=True)
            for folder, frames in (('blur', clip['img']), ('sharp', clip['gt_frames'])):
                os.makedirs(osp.join(seq_dir, folder))
                for k, frame in enumerate(frames, 1):
                    cv2.imwrite(osp.join(seq_dir, folder, f'{k:06d}.png'), frame[..., ::-1])
            sequences.append(dict(name=name, source=source, photo=osp.basename(path),
                                  **clip['meta']))
            log(f'[{time.time() - t0:6.1f}s] {split}/{name}: blur {clip["meta"]["blur_px"]} px')
    meta = dict(layout='GOPRO_Large', mode=mode, kind=kind, size=list(size), seed=seed,
                shake=dict(DEFAULT_SHAKE, **shake), sources=sorted(photos),
                sequences=sequences)
    os.makedirs(out_root, exist_ok=True)
    with open(osp.join(out_root, f'synthesis_meta_{split}.json'), 'w') as f:
        json.dump(meta, f, indent=1, default=str)
    return meta


def parse_size(text: str) -> Tuple[int, int]:
    width, _, height = text.partition('x')
    if not (width.isdigit() and height.isdigit()):
        raise ValueError(f'size must be WIDTHxHEIGHT, e.g. 640x360, got {text!r}')
    return int(width), int(height)


def select_photos(index: str, role: str, sources: Optional[Sequence[str]]) -> Dict[str, list]:
    """Photo paths of ``photos.json`` by source, for ``role``, optionally only ``sources``."""
    from ..photo_sources import photo_paths
    chosen = photo_paths(index, role)
    if sources:
        unknown = sorted(set(sources) - set(chosen))
        if unknown:
            raise ValueError(f'{index}: no {role} sources {unknown}; there: {sorted(chosen)}')
        chosen = {s: chosen[s] for s in sources}
    return chosen
