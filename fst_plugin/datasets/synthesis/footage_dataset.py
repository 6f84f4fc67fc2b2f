"""A GOPRO-layout dataset from real footage: camera-motion blur, frame averaging, procedural.

Training sequences come from every clip that is not held out, in two modes mixed per
sequence, plus procedural scenes; the test split is built from the held-out clip(s) only,
so a model trained here is measured on real content it never saw.

- ``camera``: :class:`CameraMotionScene` (continuous blur of real content, blur
  magnitude drawn log-uniformly per sequence, mild to strong);
- ``average``: consecutive real frames averaged directly (GOPRO's recipe on 10-30 fps
  footage: ghosts of moving things, as real low-frame-rate blur can look);
- ``procedural``: :class:`ProceduralScene` (no footage needed).
"""
import functools
import json
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

import cv2
import numpy as np

from .camera_motion import CameraMotionScene, read_clip
from .gopro_writer import GAMMA, average_window, write_sequence
from .procedural import ProceduralScene

DEFAULT_RECIPE = dict(
    size=(320, 240),          # output (width, height) of every sequence
    max_side=400,             # footage is read at most this large (then viewed at `size`)
    frames_per_seq=20,
    train_seqs_per_clip=6,
    procedural_seqs=6,
    camera_share=0.75,        # of the footage sequences; the rest are 'average'
    blur_px=(2.0, 28.0),      # camera path per exposure, log-uniform, output pixels
    avg_range=(7, 13),        # high-rate frames per blurry frame (camera, procedural)
    real_avg_range=(2, 5),    # real frames per blurry frame ('average' mode)
    procedural_shake=(0.5, 3.0),
    procedural_texture='shapes',  # 'shapes' or 'natural' (dead leaves with defocus)
    procedural_max_defocus=6.0,   # 'natural': largest defocus disc radius, canvas pixels
    # the held-out test split: one sequence per entry (mode, magnitude)
    test=(('camera', 6.0), ('camera', 10.0), ('camera', 16.0), ('camera', 24.0),
          ('average', 3)),
    test_frames_per_seq=12,
)


def synthesize_footage_dataset(out_root: str,
                               train_clips: Sequence[str],
                               test_clips: Sequence[str],
                               recipe: Optional[dict] = None,
                               seed: int = 0,
                               splits: Sequence[str] = ('train', 'test'),
                               log: Callable = print) -> dict:
    """Write ``<out_root>/{train,test}/<seq>/{blur,blur_gamma,sharp}/<frame>.png``.

    Args:
        out_root (str): Dataset root (a sequence folder that exists is an error).
        train_clips (Sequence[str]): Videos to train on.
        test_clips (Sequence[str]): Held-out videos; only the test split uses them.
        recipe (dict, optional): Overrides of :data:`DEFAULT_RECIPE`.
        seed (int): Seed of everything random. Default: 0.
        splits (Sequence[str]): Splits to write; the test split is the same whether or
            not the train split is written (its seeds do not depend on it).
            Default: ('train', 'test').
        log (callable): Progress printer. Default: ``print``.

    Returns:
        dict: Metadata, also written to ``<out_root>/synthesis_meta.json``
        (``synthesis_meta_<split>.json`` when one split is written). ``skipped`` lists the
        averaging test sequences a short held-out clip had no unused window for (two on
        one window would be one sequence counted twice), each with the reason.
    """
    overlap = {osp.realpath(c) for c in train_clips} & {osp.realpath(c) for c in test_clips}
    if overlap:
        raise ValueError(f'clips both trained on and held out: {sorted(overlap)}')
    r = dict(DEFAULT_RECIPE, **(recipe or {}))
    unknown = set(splits) - {'train', 'test'}
    if unknown:
        raise ValueError(f"splits must be 'train' and/or 'test', got {sorted(unknown)}")
    # separate streams: the test split is the same whether or not train is written
    train_rng, test_rng = np.random.default_rng(seed), np.random.default_rng([seed, 1])
    t0 = time.time()
    sequences: List[dict] = []
    skipped: List[dict] = []

    def emit(split, name, frames_iter, n_avg, meta, num_frames):
        seq_dir = osp.join(out_root, split, name)
        if osp.exists(seq_dir):
            raise FileExistsError(f'{seq_dir} already exists; choose another --out or remove it')
        count = write_sequence(frames_iter, seq_dir, num_frames, n_avg, start_number=1)
        sequences.append(dict(split=split, name=name, frames=count, n_avg=n_avg, **meta))
        log(f'[{time.time() - t0:6.1f}s] {split}/{name}: {count} frames, ' +
            ', '.join(f'{k}={v}' for k, v in meta.items() if k != 'source'))

    rng = train_rng
    for clip in (train_clips if 'train' in splits else []):
        stem = osp.splitext(osp.basename(clip))[0]
        for k in range(r['train_seqs_per_clip']):
            stream, n_avg, meta = _training_footage_stream(clip, r, rng)
            emit('train', f'{stem}_{meta["mode"]}_{k:02d}', stream, n_avg, meta,
                 r['frames_per_seq'])
    for k in range(r['procedural_seqs'] if 'train' in splits else 0):
        emit('train', f'procedural_{k:02d}', *_procedural_stream(r, rng), r['frames_per_seq'])
    rng = test_rng
    for clip in (test_clips if 'test' in splits else []):
        stem = osp.splitext(osp.basename(clip))[0]
        # an averaging sequence is fixed by its window: two on one window would be one
        # sequence counted twice in every test mean, so test windows are kept distinct
        used_windows: Set[Tuple[int, int]] = set()
        for k, (mode, magnitude) in enumerate(r['test']):
            name = f'{stem}_{mode}_{k:02d}'
            try:
                stream = _footage_stream(clip, mode, magnitude, r, r['test_frames_per_seq'],
                                         rng, used_windows=used_windows)
            except _NoWindowLeft as e:
                skipped.append(dict(split='test', name=name, why=str(e)))
                log(f'[{time.time() - t0:6.1f}s] test/{name}: SKIPPED, {e}')
                continue
            emit('test', name, *stream, r['test_frames_per_seq'])

    meta = dict(
        layout='GOPRO_Large',
        how=('camera: real frames through a virtual camera on a smooth random trajectory '
             '(translation, rotation, zoom) with moving patches, n high-rate frames '
             f'averaged; average: n consecutive real frames averaged; blur_gamma: mean in '
             f'linear space (gamma {GAMMA}); sharp: middle frame of each window'),
        seed=seed, recipe=_jsonable(r), train_clips=[osp.basename(c) for c in train_clips],
        held_out_clips=[osp.basename(c) for c in test_clips], sequences=sequences,
        skipped=skipped)
    name = 'synthesis_meta.json' if set(splits) == {'train', 'test'} else \
        f'synthesis_meta_{"_".join(sorted(splits))}.json'
    with open(osp.join(out_root, name), 'w') as f:
        json.dump(meta, f, indent=1)
    log(f'wrote {sum(s["frames"] for s in sequences)} frames in {len(sequences)} sequences '
        f'to {out_root} in {time.time() - t0:.1f}s')
    return meta


def synthesize_sequence(rng: np.random.Generator, clip: Optional[str] = None,
                        recipe: Optional[dict] = None) -> dict:
    """One training sequence made in memory, as :func:`synthesize_footage_dataset` makes
    each of its training sequences on disk.

    Args:
        rng (np.random.Generator): Source of every draw.
        clip (str, optional): Video to cut the sequence from (mode ``camera`` or
            ``average``, drawn with ``recipe['camera_share']``); ``None``: a procedural
            scene.
        recipe (dict, optional): Overrides of :data:`DEFAULT_RECIPE`.

    Returns:
        dict: ``blur``, ``blur_gamma`` and ``sharp``, each (n, h, w, 3) uint8 RGB with
        ``n = recipe['frames_per_seq']`` (fewer if the source ran out), and ``meta`` (source,
        mode, magnitude) as ``synthesis_meta.json`` records it.
    """
    r = dict(DEFAULT_RECIPE, **(recipe or {}))
    num_frames = r['frames_per_seq']
    stream, n_avg, meta = (_procedural_stream(r, rng) if clip is None else
                           _training_footage_stream(clip, r, rng))
    kinds = dict(blur=[], blur_gamma=[], sharp=[])
    for _ in range(num_frames):
        window = [f for _, f in zip(range(n_avg), stream)]
        if len(window) < n_avg:
            break
        for kind, img in zip(('blur', 'blur_gamma', 'sharp'), average_window(window)):
            kinds[kind].append(img)
    if not kinds['sharp']:
        raise ValueError(f'{meta["source"]}: no frame could be synthesized')
    out = {kind: np.stack(frames) for kind, frames in kinds.items()}
    out['meta'] = dict(meta, n_avg=n_avg, frames=len(kinds['sharp']))
    return out


def _training_footage_stream(clip: str, r: dict, rng: np.random.Generator):
    """(frame iterator, n_avg, metadata) of one training sequence of ``clip``: mode
    ``camera`` or ``average`` drawn with ``r['camera_share']``, then its magnitude."""
    mode = 'camera' if rng.random() < r['camera_share'] else 'average'
    magnitude = _log_uniform(rng, *r['blur_px']) if mode == 'camera' else \
        int(rng.integers(r['real_avg_range'][0], r['real_avg_range'][1] + 1))
    return _footage_stream(clip, mode, magnitude, r, r['frames_per_seq'], rng)


def _procedural_stream(r: dict, rng: np.random.Generator):
    """(frame iterator, n_avg, metadata) of one procedural training sequence."""
    n_avg = int(rng.integers(r['avg_range'][0], r['avg_range'][1] + 1))
    shake = float(rng.uniform(*r['procedural_shake']))
    scene_seed = int(rng.integers(2**31))
    scene = ProceduralScene(tuple(r['size']), seed=scene_seed, shake=shake,
                            texture=r['procedural_texture'],
                            max_defocus=r['procedural_max_defocus'])
    return scene.frames(), n_avg, dict(source='procedural', mode='procedural',
                                       shake=round(shake, 2), scene_seed=scene_seed,
                                       texture=r['procedural_texture'])


class _NoWindowLeft(ValueError):
    """Every window of a clip for an averaging test sequence is already taken."""


def _footage_stream(clip: str, mode: str, magnitude, r: dict, num_frames: int,
                    rng: np.random.Generator,
                    used_windows: Optional[Set[Tuple[int, int]]] = None
                    ) -> Tuple[object, int, Dict]:
    """(high-rate frame iterator, n_avg, metadata) of one sequence cut from ``clip``.

    With ``used_windows`` (a set of ``(n_avg, start)`` updated in place), an averaging
    sequence takes a window no earlier one took: the first draw is the same as without it
    (so datasets without a repeat are unchanged), a repeat is drawn again, and a clip with
    no window left raises :class:`_NoWindowLeft` (the caller skips that sequence).
    """
    total = _frame_count(clip)
    if mode == 'camera':
        n_avg = int(rng.integers(r['avg_range'][0], r['avg_range'][1] + 1))
        need = num_frames
    elif mode == 'average':
        n_avg = int(magnitude)
        need = num_frames * n_avg
    else:
        raise ValueError(f"mode must be 'camera' or 'average', got {mode!r}")
    if total < need:
        raise ValueError(f'{clip} has {total} frames; a {mode} sequence of {num_frames} '
                         f'frames needs {need}')
    start = int(rng.integers(0, total - need + 1))
    if mode == 'average' and used_windows is not None:
        free = [s for s in range(total - need + 1) if (n_avg, s) not in used_windows]
        if not free:
            raise _NoWindowLeft(
                f'{osp.basename(clip)} has {total} frames: each of its {total - need + 1} '
                f'windows for an average:{n_avg} sequence of {num_frames} frames is already '
                f'a test sequence, and another would repeat one')
        while (n_avg, start) in used_windows:
            start = int(rng.integers(0, total - need + 1))
        used_windows.add((n_avg, start))
    frames = read_clip(clip, r['max_side'], start=start, count=need)
    size = _fit(tuple(r['size']), frames[0].shape[1::-1])
    meta = dict(source=osp.basename(clip), mode=mode, first_source_frame=start)
    if mode == 'average':
        stream = iter(_resize_all(frames, size))
        return stream, n_avg, dict(meta, real_frames_averaged=n_avg)
    scene = CameraMotionScene(frames, size, n_avg=n_avg, blur_px=float(magnitude),
                              seed=int(rng.integers(2**31)),
                              num_layers=int(rng.integers(0, 3)))
    return scene.frames_stream(), n_avg, dict(meta, blur_px=round(float(magnitude), 2))


@functools.lru_cache(maxsize=None)
def _frame_count(clip: str) -> int:
    """Frames that decode (container headers of some clips are wrong)."""
    cap = cv2.VideoCapture(clip)
    if not cap.isOpened():
        raise ValueError(f'cannot open video {clip}')
    count = 0
    while cap.grab():
        count += 1
    cap.release()
    return count


def _fit(size: Tuple[int, int], frame_size: Tuple[int, int]) -> Tuple[int, int]:
    """``size`` shrunk (aspect kept, even sides) until it fits inside ``frame_size``."""
    w, h = size
    fw, fh = frame_size
    scale = min(1.0, fw / w, fh / h)
    return int(w * scale) // 2 * 2, int(h * scale) // 2 * 2


def _resize_all(frames: List[np.ndarray], size: Tuple[int, int]) -> List[np.ndarray]:
    """Scale-and-centre-crop real frames to ``size`` (area interpolation)."""
    fh, fw = frames[0].shape[:2]
    w, h = size
    scale = max(w / fw, h / fh)
    out = []
    for f in frames:
        g = cv2.resize(f, (round(fw * scale), round(fh * scale)), interpolation=cv2.INTER_AREA)
        y, x = (g.shape[0] - h) // 2, (g.shape[1] - w) // 2
        out.append(np.ascontiguousarray(g[y:y + h, x:x + w]))
    return out


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
