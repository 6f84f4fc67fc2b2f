"""Deblur a video of any length and size with bounded memory (sliding window or recurrent)."""
import contextlib
from typing import Dict, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from torch import Tensor

from ..models.editors.fst.fst_net import pad_to_multiple
from .model_loading import load_model
from .tiling import Tile, blend_weight, tile_grid

DTYPES = {'fp32': torch.float32, 'fp16': torch.float16, 'bf16': torch.bfloat16}


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

    Args:
        config (str | Config | None): Model config (the one the checkpoint was trained
            with); None takes the config stored in a weights file (shipped weights).
        checkpoint (str): Checkpoint or weights file, read weights-only (nothing in it
            runs); one of another model is refused.
        device (str, optional): ``'cpu'``, ``'cuda'``, ``'cuda:1'``...; default CUDA
            when available, else CPU.
        dtype (str): ``'fp32'``, or ``'fp16'``/``'bf16'`` autocast on CUDA. Default:
            ``'fp32'``.
        tile (int, optional): Tile side in pixels; None processes whole frames.
        tile_overlap (int): Overlap between tiles in pixels. Default: 32.
        encoder_cache (bool): Reuse FST encoder features across windows. Default: True.
        trust_checkpoint (bool): Allow full unpickling of a training checkpoint (it can
            run code from the file). Default: False.
    """

    def __init__(self,
                 config: Optional[Union[str, Config]],
                 checkpoint: str,
                 device: Optional[str] = None,
                 dtype: str = 'fp32',
                 tile: Optional[int] = None,
                 tile_overlap: int = 32,
                 encoder_cache: bool = True,
                 trust_checkpoint: bool = False):
        if dtype not in DTYPES:
            raise ValueError(f'dtype must be one of {sorted(DTYPES)}, got {dtype!r}')
        device = device or ('cuda' if torch.cuda.is_available() else 'cpu')
        if dtype != 'fp32' and not str(device).startswith('cuda'):
            raise ValueError(f'dtype={dtype} is for CUDA devices; on {device} use fp32')
        if tile is not None and tile <= 2 * tile_overlap:
            raise ValueError(f'tile ({tile}) must be larger than twice the overlap '
                             f'({tile_overlap})')
        self.model = load_model(config, checkpoint, device, trust_checkpoint=trust_checkpoint)
        cfg = self.model.cfg
        self.net = self.model.generator
        self.device, self.dtype = torch.device(device), DTYPES[dtype]
        self.tile, self.overlap = tile, tile_overlap
        self.recurrent = hasattr(self.net, 'step')
        self.cache_enabled = encoder_cache and hasattr(self.net, 'encode') and \
            hasattr(self.net, 'decode') and not self.recurrent
        dataset = cfg.get('test_dataloader', {}).get('dataset', {})
        self.num_frames = int(dataset.get('num_input_frames',
                                          getattr(self.net, 'num_frames', 5)))
        self.stats = dict(encoded=0, windows=0)

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
        x = torch.from_numpy(np.ascontiguousarray(frame)).to(self.device)
        return x.permute(2, 0, 1)[None].float() / 255

    @staticmethod
    def _to_image(x: Tensor) -> np.ndarray:
        return (x[0].float().clamp(0, 1) * 255).round().byte().permute(1, 2, 0).cpu().numpy()

    def _run_windows(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        half = self.num_frames // 2
        buffer: Dict[int, Tensor] = {}
        cache: Dict[Tuple[int, Tile], List[Tensor]] = {}
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
        with self._inference_mode():
            return self._restore_window_impl(target, buffer, cache, last)

    def _restore_window_impl(self, target: int, buffer: Dict[int, Tensor], cache: dict,
                             last: Optional[int]) -> np.ndarray:
        half = self.num_frames // 2
        hi = last if last is not None else target + half
        idx = [min(max(target + o, 0), hi) for o in range(-half, half + 1)]
        ref = buffer[target]
        h, w = ref.shape[-2:]
        out = torch.zeros_like(ref)
        weight = torch.zeros_like(ref[:, :1])
        for tile in tile_grid(h, w, self.tile, self.overlap):
            y0, y1, x0, x1 = tile
            if self.cache_enabled:
                feats = [self._encoded(i, tile, buffer, cache) for i in idx]
                clip_feats = [torch.stack([f[s] for f in feats], dim=1)
                              for s in range(len(feats[0]))]
                residual = self.net.decode(clip_feats, half)[..., :y1 - y0, :x1 - x0]
                pred = ref[..., y0:y1, x0:x1] + residual.float()
            else:
                clip = torch.stack([buffer[i][0, :, y0:y1, x0:x1] for i in idx])[None]
                pred = self.net(clip).float()
            wgt = blend_weight(tile, h, w, self.overlap if self.tile else 0, self.device)
            out[..., y0:y1, x0:x1] += pred * wgt
            weight[..., y0:y1, x0:x1] += wgt
        self.stats['windows'] += 1
        return self._to_image(out / weight)

    def _encoded(self, i: int, tile: Tile, buffer: dict, cache: dict) -> List[Tensor]:
        key = (i, tile)
        if key not in cache:
            y0, y1, x0, x1 = tile
            crop = pad_to_multiple(buffer[i][..., y0:y1, x0:x1], self.net.scale_factor)
            cache[key] = self.net.encode(crop)
            self.stats['encoded'] += 1
        return cache[key]

    def _run_recurrent(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        states: Dict[Tile, tuple] = {}
        size, count = None, 0
        for index, frame in enumerate(frames):
            x = self._to_tensor(frame, index, size)
            size, count = frame.shape[:2], index + 1
            with self._inference_mode():
                restored = self._restore_step(x, states)
            yield restored
        if count == 0:
            raise ValueError('the input has no frames')

    def _restore_step(self, x: Tensor, states: Dict[Tile, tuple]) -> np.ndarray:
        h, w = x.shape[-2:]
        out = torch.zeros_like(x)
        weight = torch.zeros_like(x[:, :1])
        for tile in tile_grid(h, w, self.tile, self.overlap):
            y0, y1, x0, x1 = tile
            blurry = pad_to_multiple(x[..., y0:y1, x0:x1], 4)
            prev_blurry, prev_restored, prev_feat = states.get(tile, (blurry, blurry, None))
            pred, feat = self.net.step(blurry, prev_blurry, prev_restored, prev_feat)
            states[tile] = (blurry, pred.clamp(0, 1), feat)
            wgt = blend_weight(tile, h, w, self.overlap if self.tile else 0, self.device)
            out[..., y0:y1, x0:x1] += pred[..., :y1 - y0, :x1 - x0].float() * wgt
            weight[..., y0:y1, x0:x1] += wgt
        self.stats['windows'] += 1
        return self._to_image(out / weight)
