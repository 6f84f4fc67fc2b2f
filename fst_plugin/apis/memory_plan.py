"""Choose whole frames or a tile size for inference from the memory the machine has.

A sliding-window or recurrent model's peak memory at inference is the sum of what is kept
for the whole frame between windows (the frames of the window, FST's encoder features or a
recurrent model's state, the output accumulators) and the transient peak of one network
run on one tile. :func:`measure_memory_profile` measures both per pixel by running the
model at two small sizes; :func:`plan_inference` extrapolates them to the input size and
picks the fastest plan that fits in :func:`available_memory` with a safety margin.
"""
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

import torch
from torch import nn

from ..utils.memory_info import peak_memory_mb

MIB = 2**20
# tile sides tried by the planner, largest first (all multiples of 64)
TILE_SIDES = (1024, 768, 512, 384, 256, 192, 128)
# the planner asks for this much more than the estimate (estimates fall below the real
# peak; docs/user_guides/inference.md gives the measured ratio)
SAFETY_FACTOR = 1.4
SAFETY_RESERVE = 128 * MIB


# ------------------------------------------------------------------ measured profile
@dataclass
class MemoryProfile:
    """Peak memory of a model's inference, per pixel, measured at small sizes.

    Args:
        kept_per_pixel (float): Bytes per frame pixel kept for one frame between network
            runs (FST's encoder features of one frame; a recurrent model's state), on top
            of the frame itself.
        run_per_pixel (float): Bytes per tile pixel of one network run's transient peak.
        kept_frames (int): How many frames' kept bytes exist at once (T for FST's encoder
            cache, 1 for a recurrent state, 0 when nothing is kept).
    """
    kept_per_pixel: float
    run_per_pixel: float
    kept_frames: int


def _nbytes(tensors) -> int:
    if isinstance(tensors, torch.Tensor):
        return tensors.numel() * tensors.element_size()
    if isinstance(tensors, (list, tuple)):
        return sum(_nbytes(t) for t in tensors if t is not None)
    return 0


def _peak_bytes(fn: Callable[[], object], device) -> Optional[float]:
    peak = peak_memory_mb(fn, device, full_gc=False)
    return None if peak is None else peak * MIB


def measure_memory_profile(net: nn.Module, num_frames: int, encoder_cache: bool,
                           device='cpu', side: int = 128,
                           autocast: Callable = None) -> Optional[MemoryProfile]:
    """Measure a network's inference memory per pixel at one small square size.

    Sliding-window networks are run as the inferencer runs them: FST with the encoder
    cache as one ``encode`` of a frame and one ``decode`` of a window (the larger peak
    counts; the features are the kept bytes), otherwise as one forward of a
    ``(1, T, 3, s, s)`` clip; recurrent networks (``step``) as one step, whose state is
    kept. The whole peak is charged per pixel (no fixed part), which overestimates
    larger frames a little rather than underestimating them. A tiny run first warms the
    backend up, so its one-time allocations are not charged per pixel. Returns None where
    the peak cannot be measured (no Linux ``/proc``).

    Args:
        net (nn.Module): The generator, eval mode, on ``device``.
        num_frames (int): T of sliding-window networks.
        encoder_cache (bool): Profile FST's cached mode.
        device (str | torch.device): Default: ``'cpu'``.
        side (int): Square size of the measured run, a multiple of 16. Default: 128.
        autocast (Callable, optional): Context manager factory the inferencer runs the
            network in (no_grad, autocast); default ``torch.no_grad``.
    """
    autocast = autocast or torch.no_grad
    half = num_frames // 2
    for s in (32, side):  # the first run warms up
        frame = torch.rand(1, 3, s, s, device=device)
        if hasattr(net, 'step'):
            def run():
                with autocast():
                    return net.step(frame, frame, frame, None)
            _, feat = run()
            kept, kept_frames = _nbytes(feat) + 2 * _nbytes(frame), 1
            runs = [run]
        elif encoder_cache:
            with autocast():
                feats = net.encode(frame)
            clip = [net.stack_frames([f] * num_frames) for f in feats]  # as the inferencer
            kept, kept_frames = _nbytes(feats), num_frames
            del feats

            def encode():
                with autocast():
                    net.encode(frame)

            def decode():
                with autocast():
                    net.decode(clip, half)
            runs = [encode, decode]
        else:
            clip = frame[:, None].expand(1, num_frames, 3, s, s).contiguous()

            def run():
                with autocast():
                    net(clip)
            kept, kept_frames, runs = 0, 0, [run]
        if s == 32:
            for run in runs:
                run()
            continue
        peaks = [_peak_bytes(run, device) for run in runs]
        if None in peaks:
            return None
    pixels = side * side
    return MemoryProfile(kept / pixels, max(peaks) / pixels, kept_frames)


# ------------------------------------------------------------------ plans
@dataclass
class InferencePlan:
    """How to run a video through a model: whole frames or tiles, with or without FST's
    encoder cache, and the peak memory that is expected.

    Args:
        tile (int | None): Tile side; None for whole frames.
        encoder_cache (bool): Reuse FST's encoder features across windows.
        estimate (int | None): Expected peak bytes above what the process held before.
        available (int | None): Bytes available when the plan was made.
    """
    tile: Optional[int]
    encoder_cache: bool
    estimate: Optional[int] = None
    available: Optional[int] = None

    def describe(self) -> str:
        what = f'tile {self.tile}' if self.tile else 'whole frames'
        what += ', encoder cache ' + ('on' if self.encoder_cache else 'off')
        if self.estimate is None:
            return what
        avail = 'unknown' if self.available is None else f'{self.available / MIB:.0f} MiB'
        return f'{what} (estimated peak {self.estimate / MIB:.0f} MiB, available {avail})'


def _padded(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def estimate_peak(profile: MemoryProfile, size: Tuple[int, int], tile: Optional[int],
                  num_frames: int, overlap: int = 32, multiple: int = 16) -> int:
    """Peak bytes of inference at frame ``size`` (h, w) with ``tile`` (None: whole frames).

    Whole-frame bytes: the window's frames in float32 and the kept features or state, the
    output accumulators and their conversion to 8 bits; plus one network run at the
    (padded) tile size. Tiles multiply neither: every tile of a frame is kept, only one
    tile runs at a time.
    """
    h, w = size
    th, tw = (h, w) if not tile else (min(tile, h), min(tile, w))
    pixels = h * w
    frames = (num_frames + 1) * 12 * pixels  # float32 RGB frames of the window
    outputs = 64 * pixels  # accumulators, weights, the division and the uint8 conversion
    # tiles step by tile - overlap, so their features cover the frame (tile/step)^2 times
    kept = profile.kept_frames * profile.kept_per_pixel * pixels * (
        1 if not tile or tile >= max(h, w) else (tile / (tile - overlap))**2)
    run = profile.run_per_pixel * _padded(th, multiple) * _padded(
        tw, multiple)
    return int(frames + outputs + kept + run)


def plan_candidates(size: Tuple[int, int], encoder_cache: bool, can_cache: bool,
                    overlap: int) -> List[Tuple[Optional[int], bool]]:
    """(tile, encoder_cache) plans, fastest first: whole frames, then tiles from large to
    small, with the encoder cache (where allowed) before without it."""
    longest = max(size)
    tiles = [None] + [t for t in TILE_SIDES if t < longest and t > 2 * overlap]
    modes = [True, False] if encoder_cache and can_cache else [False]
    return [(tile, cache) for cache in modes for tile in tiles]


def plan_inference(profile_of: Callable[[bool], Optional[MemoryProfile]],
                   size: Tuple[int, int], num_frames: int, available: Optional[int],
                   encoder_cache: bool, can_cache: bool, overlap: int = 32,
                   multiple: int = 16) -> InferencePlan:
    """The first plan of :func:`plan_candidates` whose estimate fits ``available``.

    Args:
        profile_of (Callable[[bool], MemoryProfile | None]): The model's profile with or
            without the encoder cache (measured on first use, so a mode that is never
            considered is never measured); None where memory cannot be measured.
        size (tuple[int, int]): Frame (h, w).
        num_frames (int): T.
        available (int | None): Bytes available; None runs whole frames.
        encoder_cache (bool): Whether the encoder cache may be used.
        can_cache (bool): Whether the model has an encoder cache.
        overlap (int): Tile overlap. Default: 32.
        multiple (int): The network's padding multiple. Default: 16.

    Raises:
        MemoryError: not even the smallest plan fits (needed and available named).
    """
    candidates = plan_candidates(size, encoder_cache, can_cache, overlap)
    if available is None:
        return InferencePlan(None, encoder_cache and can_cache, None, None)
    budget = (available - SAFETY_RESERVE) / SAFETY_FACTOR
    estimates = []
    for tile, cache in candidates:
        profile = profile_of(cache)
        if profile is None:
            return InferencePlan(None, encoder_cache and can_cache, None, available)
        estimate = estimate_peak(profile, size, tile, num_frames, overlap, multiple)
        if estimate <= budget:
            return InferencePlan(tile, cache, estimate, available)
        estimates.append((estimate, tile, cache))
    smallest, tile, cache = min(estimates, key=lambda e: e[0])
    raise MemoryError(
        f'not enough memory for {size[1]}x{size[0]} frames: the smallest plan (tile '
        f'{tile}, encoder cache {"on" if cache else "off"}) needs about '
        f'{smallest / MIB:.0f} MiB ({smallest * SAFETY_FACTOR / MIB + SAFETY_RESERVE / MIB:.0f}'
        f' MiB with the safety margin), {available / MIB:.0f} MiB is available; free '
        f'memory, or force a tile with --tile N (tile=N)')


def is_out_of_memory(err: BaseException) -> bool:
    """Whether an exception is an allocation failure (CPU allocator, CUDA, Python)."""
    if isinstance(err, MemoryError):
        return True
    oom = getattr(torch.cuda, 'OutOfMemoryError', None)
    if oom is not None and isinstance(err, oom):
        return True
    text = str(err).lower()
    return isinstance(err, RuntimeError) and ("can't allocate memory" in text
                                              or 'out of memory' in text)
