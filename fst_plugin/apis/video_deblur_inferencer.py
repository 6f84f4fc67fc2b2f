"""Deblur a video of any length and size with bounded memory (sliding window or recurrent)."""
import contextlib
import gc
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import print_log
from torch import Tensor

from ..models.utils import pad_to_multiple
from ..utils.allocator import keep_freed_memory
from ..utils.frame_window import limit_temporal_radius, window_indices
from ..utils.memory_info import available_memory
from ..utils.precision import resolve_precision
from .memory_plan import (InferencePlan, MemoryProfile, estimate_peak,
                          is_out_of_memory, measure_memory_profile, plan_inference)
from .model_loading import load_model
from .self_ensemble import (DIHEDRAL, IDENTITY, View, add_view, average_views, from_view,
                            to_view, view_size)
from .small_change_filter import shrink_small_changes
from .tiling import Tile, blend_weight, tile_grid

DTYPES = {'fp32': torch.float32, 'fp16': torch.float16, 'bf16': torch.bfloat16}
# freed memory is kept in the process (``keep_memory``) only when twice the planned peak
# fits: keeping holds the process at its peak (1280x720: up to 20 % above the glibc default)
KEEP_MEMORY_MARGIN = 2.0


class VideoDeblurInferencer:
    """Restore every frame of a stream of blurry frames with a trained model.

    Frames are read one at a time and only the frames (and, for FST, the per-frame
    encoder features) of the current window are kept, so memory does not grow with the
    video length. Sliding-window networks (FST, EDVR) restore frame i from frames
    i - T//2 .. i + T//2, replicating the first and last frames at the ends (as the
    test dataset does); recurrent networks (STFAN, ``generator.step``) run one
    recurrence over the whole video. With ``tile`` every frame is processed in
    overlapping tiles that are cross-faded (linear ramps over the overlap), bounding
    memory for large frames. For FST (``generator.encode``/``decode``) each frame is
    encoded once per tile and reused by the T windows that contain it.

    ``tile='auto'`` (the default) plans from the memory available: before the first
    frame the model's memory per pixel is measured at two small sizes, extrapolated to
    the frame size and compared with the free memory (system, memory cgroup, or CUDA
    device); whole frames are used if they fit, else the largest tile that fits (with
    the encoder cache before without it); the plan is logged. With any tile setting, a
    window whose allocation still fails is retried with half the tile (frames already
    restored are kept); below the smallest tile a ``MemoryError`` names the memory
    needed and available.

    Args:
        config (str | Config | None): Model config (the one the checkpoint was trained
            with); None takes the config stored in a weights file (shipped weights).
        checkpoint (str): Checkpoint or weights file, read weights-only (nothing in it
            runs); one of another model is refused.
        device (str, optional): ``'cpu'``, ``'cuda'``, ``'cuda:1'``...; default CUDA
            when available, else CPU.
        dtype (str): ``'auto'`` (bf16 autocast on CPUs with AMX or AVX512-BF16 and on
            CUDA devices that support it, fp16 on other CUDA devices, fp32 elsewhere;
            :mod:`fst_plugin.utils.precision`), ``'fp32'``, ``'bf16'`` autocast (CUDA or CPU)
            or ``'fp16'`` autocast (CUDA). The resolved choice is ``self.precision``.
            Default: ``'auto'``.
        tile (int | str | None): Tile side in pixels; None processes whole frames;
            ``'auto'`` chooses from the memory available. Default: ``'auto'``.
        tile_overlap (int): Overlap between tiles in pixels. Default: 32.
        encoder_cache (bool): Reuse FST encoder features across windows (``'auto'`` may
            still turn it off to fit). Default: True.
        trust_checkpoint (bool): Allow full unpickling of a training checkpoint (it can
            run code from the file). Default: False.
        self_ensemble (bool): x8 self-ensemble: restore every frame under each of the 8
            flips/transposes (one encoder cache or recurrent state per view) and average
            the 8 outputs mapped back; ~8x the time and 8x the kept features (the memory
            plan counts them). Default: False.
        min_change (float): Grey levels (0-255): every change the model makes to a pixel
            is shrunk by this much towards the input, so changes smaller than it are
            dropped (``shrink_small_changes``, for frames that need little fixing).
            Default: 0 (the model's output as it is).
        temporal_radius (int, optional): Sliding-window networks: neighbours farther than
            this from the target frame are replaced by the nearest kept one (0: every
            window is the target frame repeated; ``LimitTemporalRadius`` at test time), for
            footage whose frames do not line up the way the training footage did (fast
            pans, low frame rates).
            Refused for recurrent networks. Default: None (all T frames).
        log (Callable[[str], None], optional): Where the plan and retries are reported;
            default MMEngine's current logger.
        keep_memory (bool): On a CPU, once the memory plan is made, keep freed memory in
            the process (:func:`fst_plugin.utils.keep_freed_memory`, for the whole
            process) if twice the planned peak fits in the memory available. Without it
            glibc hands every large activation back to the system and page-faults it in
            again on the next frame, which at 1280x720 costs about half of the time.
            Default: False (``tools/deblur_video.py`` turns it on).
    """

    def __init__(self,
                 config: Optional[Union[str, Config]],
                 checkpoint: str,
                 device: Optional[str] = None,
                 dtype: str = 'auto',
                 tile: Optional[Union[int, str]] = 'auto',
                 tile_overlap: int = 32,
                 encoder_cache: bool = True,
                 trust_checkpoint: bool = False,
                 self_ensemble: bool = False,
                 min_change: float = 0.0,
                 temporal_radius: Optional[int] = None,
                 log: Optional[Callable[[str], None]] = None,
                 keep_memory: bool = False):
        if dtype not in DTYPES and dtype != 'auto':
            raise ValueError(f"dtype must be 'auto' or one of {sorted(DTYPES)}, got {dtype!r}")
        device = device or ('cuda' if torch.cuda.is_available() else 'cpu')
        dtype = resolve_precision(dtype, device)
        if dtype == 'fp16' and not str(device).startswith('cuda'):
            raise ValueError(f'dtype=fp16 is for CUDA devices; on {device} use fp32 or bf16')
        if not 0 <= min_change < 255:
            raise ValueError(f'min_change is in grey levels, 0 <= min_change < 255, got '
                             f'{min_change}')
        if isinstance(tile, str) and tile != 'auto':
            raise ValueError(f"tile must be a number of pixels, None or 'auto', got {tile!r}")
        if isinstance(tile, int) and tile <= 2 * tile_overlap:
            raise ValueError(f'tile ({tile}) must be larger than twice the overlap '
                             f'({tile_overlap})')
        self.model = load_model(config, checkpoint, device, trust_checkpoint=trust_checkpoint)
        cfg = self.model.cfg
        self.net = self.model.generator
        self.device, self.dtype = torch.device(device), DTYPES[dtype]
        self.precision = dtype  # the resolved name: 'fp32', 'bf16' or 'fp16'
        self.auto_tile = tile == 'auto'
        self.tile, self.overlap = (None if self.auto_tile else tile), tile_overlap
        self.recurrent = hasattr(self.net, 'step')
        self.can_cache = all(hasattr(self.net, name) for name in
                             ('encode', 'decode', 'stack_frames')) and not self.recurrent
        self.cache_enabled = encoder_cache and self.can_cache
        dataset = cfg.get('test_dataloader', {}).get('dataset', {})
        self.num_frames = int(dataset.get('num_input_frames',
                                          getattr(self.net, 'num_frames', 5)))
        self.views: Tuple[View, ...] = DIHEDRAL if self_ensemble else (IDENTITY, )
        self.min_change = float(min_change)
        if temporal_radius is not None:
            if self.recurrent:
                raise ValueError('temporal_radius is for sliding-window networks; '
                                 f'{type(self.net).__name__} is recurrent')
            if not 0 <= temporal_radius:
                raise ValueError(f'temporal_radius must be >= 0, got {temporal_radius}')
        self.temporal_radius = temporal_radius
        self.log = log or (lambda msg: print_log(msg, logger='current'))
        self.plan: Optional[InferencePlan] = None
        self.profiles: Dict[bool, Optional[MemoryProfile]] = {}
        self.stats = dict(encoded=0, windows=0, retries=0)
        self.keep_memory = keep_memory
        self.memory_kept = False  # whether keep_memory took effect

    # ------------------------------------------------------------------ memory
    def memory_profile(self, encoder_cache: bool) -> Optional[MemoryProfile]:
        """The model's :class:`MemoryProfile` with or without the encoder cache, measured
        once on first use (see :func:`fst_plugin.apis.memory_plan.measure_memory_profile`);
        None where memory cannot be measured."""
        cache = bool(encoder_cache and self.can_cache)
        if cache not in self.profiles:
            profile = measure_memory_profile(
                self.net, self.num_frames, cache, self.device, autocast=self._inference_mode)
            if profile is not None:  # one cache or state per view
                profile.kept_frames *= len(self.views)
            self.profiles[cache] = profile
        return self.profiles[cache]

    def estimate_peak(self, size: Tuple[int, int], tile: Optional[int],
                      encoder_cache: bool) -> Optional[int]:
        """Expected peak bytes for frames of ``size`` (h, w); None if not measurable."""
        profile = self.memory_profile(encoder_cache)
        if profile is None:
            return None
        return estimate_peak(profile, size, tile, self.num_frames, self.overlap,
                             getattr(self.net, 'scale_factor', 16))

    def _make_plan(self, size: Tuple[int, int]) -> None:
        """Settle tile and encoder cache before the first frame is restored."""
        if self.plan is not None:
            return
        if not self.auto_tile:
            self.plan = InferencePlan(self.tile, self.cache_enabled)
        else:
            self.plan = plan_inference(self.memory_profile, size, self.num_frames,
                                       available_memory(self.device), self.cache_enabled,
                                       self.can_cache, self.overlap,
                                       getattr(self.net, 'scale_factor', 16))
            self.tile, self.cache_enabled = self.plan.tile, self.plan.encoder_cache
            self.log(f'memory plan for {size[1]}x{size[0]}: {self.plan.describe()}')
        if self.keep_memory and self.device.type == 'cpu':
            self._keep_memory_if_it_fits(size)

    def _keep_memory_if_it_fits(self, size: Tuple[int, int]) -> None:
        needed = self.estimate_peak(size, self.tile, self.cache_enabled)
        available = available_memory(self.device)
        if needed is None or available is None:
            self.log('freed memory goes back to the system (memory not measurable)')
        elif KEEP_MEMORY_MARGIN * needed > available:
            self.log(f'freed memory goes back to the system (a window needs about '
                     f'{needed / 2**20:.0f} MiB, {available / 2**20:.0f} MiB available: '
                     f'too little to keep it)')
        else:
            self.memory_kept = keep_freed_memory()
            if self.memory_kept:
                self.log('freed memory is kept in the process (faster; it stays at its peak)')

    def _shrink_tile(self, size: Tuple[int, int], err: BaseException) -> None:
        """After an allocation failure: halve the tile, or stop below the smallest."""
        current = self.tile or max(size)
        smaller = (current // 2) // 32 * 32
        if smaller <= 2 * self.overlap:
            needed = self.estimate_peak(size, self.tile, self.cache_enabled)
            available = available_memory(self.device)
            raise MemoryError(
                f'out of memory at the smallest tile ({current} px) for {size[1]}x{size[0]} '
                f'frames ({err}); a window needs about '
                + ('an unknown amount' if needed is None else f'{needed / 2**20:.0f} MiB')
                + ', available: '
                + ('unknown' if available is None else f'{available / 2**20:.0f} MiB')) from None
        self.stats['retries'] += 1
        self.log(f'out of memory with {"tile " + str(self.tile) if self.tile else "whole frames"}'
                 f'; retrying the window with tile {smaller}')
        self.tile = smaller
        if self.plan is not None:
            self.plan.tile = smaller

    @staticmethod
    def _release() -> None:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    # ------------------------------------------------------------------ streaming
    def __call__(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        """Yield the restored frames (RGB uint8 (h, w, 3)) in order, one per input frame.

        Args:
            frames (Iterable[np.ndarray]): RGB uint8 frames (h, w, 3), all one size.
        """
        # no_grad/autocast are entered per frame, never held across a ``yield``: a
        # suspended generator must not leave the caller's thread without gradients
        if self.recurrent:
            yield from self._run_recurrent(frames)
        else:
            yield from self._run_windows(frames)

    @contextlib.contextmanager
    def _inference_mode(self):
        with torch.no_grad():
            if self.dtype == torch.float32:
                yield
            else:
                with torch.autocast(self.device.type, dtype=self.dtype):
                    yield

    def _to_tensor(self, frame: np.ndarray, index: int, size) -> Tensor:
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise ValueError(f'frame {index}: expected RGB uint8 (h, w, 3), got '
                             f'{frame.dtype} {frame.shape}')
        if size is not None and frame.shape[:2] != size:
            raise ValueError(f'frame {index} is {frame.shape[1]}x{frame.shape[0]} but the '
                             f'video started at {size[1]}x{size[0]}')
        # (1, h, w, 3) seen as (1, 3, h, w): channels-last with a batch stride of h*w*3. Made
        # with ``[None]`` after the permute, the batch stride would be 3, which PyTorch reads
        # as an ambiguous layout and convolves in NCHW (the whole encoder followed)
        x = torch.from_numpy(np.ascontiguousarray(frame)).to(self.device)[None]
        return x.permute(0, 3, 1, 2).float() / 255

    def _filter(self, blurry: Tensor, restored: Tensor) -> Tensor:
        """``min_change``: the change to the output as saved (clamped to [0, 1]) shrinks."""
        if not self.min_change:
            return restored
        return shrink_small_changes(blurry, restored.clamp(0, 1), self.min_change / 255)

    @staticmethod
    def _to_image(x: Tensor) -> np.ndarray:
        return (x[0].float().clamp(0, 1) * 255).round().byte().permute(1, 2, 0).cpu().numpy()

    def _run_windows(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        half = self.num_frames // 2
        buffer: Dict[int, Tensor] = {}
        cache: Dict[Tuple[int, Tile, View], List[Tensor]] = {}
        size, target, count = None, 0, 0
        for index, frame in enumerate(frames):
            buffer[index] = self._to_tensor(frame, index, size)
            size, count = frame.shape[:2], index + 1
            while target + half <= index:  # every neighbour of the target has arrived
                yield self._restore_window(target, buffer, cache, last=None)
                target += 1
                self._evict(buffer, cache, target - half)
        if count == 0:
            raise ValueError('the input has no frames')
        while target < count:
            yield self._restore_window(target, buffer, cache, last=count - 1)
            target += 1
            self._evict(buffer, cache, target - half)

    @staticmethod
    def _evict(buffer: dict, cache: dict, first_needed: int) -> None:
        for i in [i for i in buffer if i < first_needed]:
            del buffer[i]
        for key in [k for k in cache if k[0] < first_needed]:
            del cache[key]

    def _restore_window(self, target: int, buffer: Dict[int, Tensor], cache: dict,
                        last: Optional[int]) -> np.ndarray:
        size = tuple(buffer[target].shape[-2:])
        self._make_plan(size)
        while True:
            try:
                with self._inference_mode():
                    return self._restore_window_impl(target, buffer, cache, last)
            except (RuntimeError, MemoryError) as err:
                if not is_out_of_memory(err):
                    raise
                cache.clear()  # features of the old tiles; what the failed run held
                self._shrink_tile(size, err)
            self._release()

    def _restore_window_impl(self, target: int, buffer: Dict[int, Tensor], cache: dict,
                             last: Optional[int]) -> np.ndarray:
        half = self.num_frames // 2
        # frames past the end (last is known) repeat the last frame, as in the test dataset
        idx = window_indices(target, self.num_frames, last + 1 if last is not None else
                             target + half + 1)
        if self.temporal_radius is not None:  # as LimitTemporalRadius does at test time
            idx = limit_temporal_radius(idx, self.temporal_radius)
        ref = buffer[target]
        h, w = ref.shape[-2:]
        out = torch.zeros_like(ref)
        weight = torch.zeros_like(ref[:, :1])
        for tile in tile_grid(h, w, self.tile, self.overlap):
            y0, y1, x0, x1 = tile
            pred = None
            for view in self.views:
                vh, vw = view_size(y1 - y0, x1 - x0, view)
                if self.cache_enabled:
                    cached = [self._encoded(i, tile, view, buffer, cache) for i in idx]
                    feats = [c[0] for c in cached]
                    clip_feats = [self.net.stack_frames([f[s] for f in feats])
                                  for s in range(len(feats[0]))]
                    terms = [c[1] for c in cached]
                    terms = None if terms[0] is None else self.net.stack_frame_terms(terms)
                    restored = self.net.decode(clip_feats, half, terms)[..., :vh, :vw]
                else:
                    clip = torch.stack([to_view(buffer[i][0, :, y0:y1, x0:x1], view)
                                        for i in idx])[None]
                    restored = self.net(clip)
                pred = add_view(pred, from_view(restored.float(), view))
            pred = average_views(pred, len(self.views))
            if self.cache_enabled:  # the decoder restores a residual
                pred = ref[..., y0:y1, x0:x1] + pred
            wgt = blend_weight(tile, h, w, self.overlap if self.tile else 0, self.device)
            out[..., y0:y1, x0:x1] += pred * wgt
            weight[..., y0:y1, x0:x1] += wgt
        self.stats['windows'] += 1
        return self._to_image(self._filter(ref, out / weight))

    def _encoded(self, i: int, tile: Tile, view: View, buffer: dict,
                 cache: dict) -> Tuple[List[Tensor], Optional[list]]:
        key = (i, tile, view)
        if key not in cache:
            y0, y1, x0, x1 = tile
            crop = pad_to_multiple(to_view(buffer[i][..., y0:y1, x0:x1], view),
                                   self.net.scale_factor)
            feats = self.net.encode(crop)
            # the fusions' per-frame terms (FST's spatial attention) are cached with the
            # features: each frame is in T windows
            terms = self.net.frame_terms(feats) if hasattr(self.net, 'frame_terms') else None
            cache[key] = (feats, terms)
            self.stats['encoded'] += 1
        return cache[key]

    def _run_recurrent(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        states: Dict[Tuple[Tile, View], tuple] = {}
        size, count, previous = None, 0, None
        for index, frame in enumerate(frames):
            x = self._to_tensor(frame, index, size)
            size, count = frame.shape[:2], index + 1
            self._make_plan(size)
            while True:
                try:
                    with self._inference_mode():
                        restored = self._restore_step(x, states, previous)
                    break
                except (RuntimeError, MemoryError) as err:
                    if not is_out_of_memory(err):
                        raise
                    states.clear()  # per-tile states of the old tiles
                    self._shrink_tile(size, err)
                self._release()
            previous = (x, restored)  # the recurrence carries the model's own output
            yield self._to_image(self._filter(x, restored))
        if count == 0:
            raise ValueError('the input has no frames')

    def _padded_view(self, x: Tensor, tile: Tile, view: View) -> Tensor:
        y0, y1, x0, x1 = tile
        return pad_to_multiple(to_view(x[..., y0:y1, x0:x1], view), self.net.scale_factor)

    def _restore_step(self, x: Tensor, states: Dict[Tuple[Tile, View], tuple],
                      previous: Optional[Tuple[Tensor, Tensor]]) -> Tensor:
        """One recurrent step over all tiles; a tile without a state (first frame, or
        new tiles after a retry) starts from the previous whole frame, features None."""
        h, w = x.shape[-2:]
        out = torch.zeros_like(x)
        weight = torch.zeros_like(x[:, :1])
        for tile in tile_grid(h, w, self.tile, self.overlap):
            y0, y1, x0, x1 = tile
            pred = None
            for view in self.views:  # each view is a recurrence of its own
                vh, vw = view_size(y1 - y0, x1 - x0, view)
                blurry = self._padded_view(x, tile, view)
                if (tile, view) in states:
                    prev_blurry, prev_restored, prev_feat = states[(tile, view)]
                elif previous is None:
                    prev_blurry, prev_restored, prev_feat = blurry, blurry, None
                else:
                    prev_blurry, prev_restored = (self._padded_view(p, tile, view)
                                                  for p in previous)
                    prev_feat = None
                restored, feat = self.net.step(blurry, prev_blurry, prev_restored, prev_feat)
                states[(tile, view)] = (blurry, restored.clamp(0, 1), feat)
                pred = add_view(pred, from_view(restored[..., :vh, :vw].float(), view))
            pred = average_views(pred, len(self.views))
            wgt = blend_weight(tile, h, w, self.overlap if self.tile else 0, self.device)
            out[..., y0:y1, x0:x1] += pred * wgt
            weight[..., y0:y1, x0:x1] += wgt
        self.stats['windows'] += 1
        return (out / weight).clamp(0, 1)
