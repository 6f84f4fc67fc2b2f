"""Training clips cut from footage sequences synthesized while training runs."""
import os.path as osp
from collections import deque
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS
from ..utils.frame_window import window_indices
from .footage import split_footage
from .synthesis.footage_dataset import synthesize_sequence

#: The sequence mix of the shipped weights' GPU runs: (name, share, recipe overrides).
#: ``footage``: the default recipe on a training clip (camera motion or frame averaging);
#: ``procedural``: a procedural scene; ``mild``: camera motion of 0.3-2 px per exposure.
DEFAULT_MIX = (
    ('footage', 30 / 46, dict()),
    ('procedural', 6 / 46, dict(source='procedural')),
    ('mild', 10 / 46, dict(camera_share=1.0, blur_px=(0.3, 2.0))),
)


@DATASETS.register_module()
class SynthesizedFootageDataset(BaseDataset):
    """Clips of footage sequences that are synthesized while the network trains.

    Each data-loader process keeps a pool of up to ``pool_size`` sequences in memory, made
    by :func:`~fst_plugin.datasets.synthesis.footage_dataset.synthesize_sequence` from the
    training clips of a footage folder (``footage.json``: clips marked held out or
    validation-only are never read) and from procedural scenes, in the proportions of
    ``mix``. After every ``samples_per_sequence`` samples it makes a new sequence and drops
    the oldest, so a long run sees a new sequence every few iterations instead of a fixed
    set. A sample is a T-frame window of a random pool sequence, the centre frame's sharp
    frame its target; neighbours are ``s`` frames apart with ``s`` drawn from
    ``frame_intervals``; with probability ``sharp_prob`` the window is taken from the
    sharp frames (a sharp-in/sharp-out pair). Draws are seeded by ``seed``, the process
    rank and the loader worker, so each worker of each rank makes sequences of its own. The
    sample is what ``LoadImageFromFile`` gives for a GOPRO-layout dataset (``img``: T full
    frames, ``gt``: one frame, RGB uint8), so the crop (``PairedRandomCrop`` or ``PairedRandomShrunkCrop``) and the usual
    augmentations follow in ``pipeline``. For a video deblurrer such as FST (Suin and
    Rajagopalan, "Dynamic Scene Video Deblurring using Non-Local Attention").

    Args:
        footage (str): Folder written by ``tools/dataset_converters/fetch_footage.py``.
        num_input_frames (int): T, odd. Default: 5.
        length (int): Samples per epoch (nominal: every sample is drawn). Default: 1000.
        samples_per_sequence (int): Samples taken before the pool gets a new sequence.
            Default: 32.
        pool_size (int): Sequences kept per loader process. Default: 8.
        blur_type (str): ``'blur'`` (average of stored values) or ``'blur_gamma'``
            (average in linear light). Default: ``'blur'``.
        mix (Sequence[tuple]): ``(name, share, overrides)`` per kind of sequence; the
            overrides apply to the footage recipe, ``source='procedural'`` makes a
            procedural scene. Default: :data:`DEFAULT_MIX`.
        recipe (dict, optional): Overrides of the footage recipe for every kind (e.g.
            ``size``, ``frames_per_seq``).
        frame_intervals (Sequence[int]): Distances between neighbours, one drawn per
            sample. Default: (1, ).
        sharp_prob (float): Share of sharp-in/sharp-out samples. Default: 0.
        seed (int): Seed of the draws. Default: 0.
        pipeline (list): Transforms after the clip is cut. Default: ().
        test_mode (bool): As in MMEngine's ``BaseDataset``. Default: False.
    """

    METAINFO = dict(dataset_type='synthesized_footage', task_name='video_deblurring')

    def __init__(self,
                 footage: str,
                 num_input_frames: int = 5,
                 length: int = 1000,
                 samples_per_sequence: int = 32,
                 pool_size: int = 8,
                 blur_type: str = 'blur',
                 mix: Sequence[tuple] = DEFAULT_MIX,
                 recipe: Optional[dict] = None,
                 frame_intervals: Sequence[int] = (1, ),
                 sharp_prob: float = 0.0,
                 seed: int = 0,
                 pipeline: Sequence = (),
                 test_mode: bool = False,
                 **kwargs):
        if num_input_frames % 2 == 0:
            raise ValueError(f'num_input_frames must be odd, got {num_input_frames}')
        if blur_type not in ('blur', 'blur_gamma'):
            raise ValueError(f"blur_type must be 'blur' or 'blur_gamma', got {blur_type!r}")
        if samples_per_sequence < 1 or pool_size < 1:
            raise ValueError(f'samples_per_sequence and pool_size must be >= 1, got '
                             f'{samples_per_sequence} and {pool_size}')
        if not frame_intervals or any(int(k) != k or k < 1 for k in frame_intervals):
            raise ValueError(f'frame_intervals must be positive integers, got '
                             f'{frame_intervals!r}')
        if not 0 <= sharp_prob <= 1:
            raise ValueError(f'sharp_prob must be in [0, 1], got {sharp_prob}')
        mix = [tuple(m) for m in mix]
        if not mix or any(len(m) != 3 or m[1] < 0 for m in mix) or not sum(m[1] for m in mix):
            raise ValueError(f'mix must list (name, share >= 0, overrides) with a positive '
                             f'total share, got {mix!r}')
        self.footage, self.num_input_frames = footage, num_input_frames
        self.length, self.samples_per_sequence = length, samples_per_sequence
        self.pool_size, self.blur_type, self.mix = pool_size, blur_type, mix
        self.recipe = dict(recipe or {})
        self.frame_intervals = [int(k) for k in frame_intervals]
        self.sharp_prob, self.seed = sharp_prob, seed
        self._pool: deque = deque(maxlen=pool_size)
        self._since_new = 0
        self._made = 0
        self._draws = 0
        super().__init__(data_root='', pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        needs_clips = any(m[1] > 0 and m[2].get('source') != 'procedural' for m in self.mix)
        self.clips: List[str] = []
        if needs_clips:
            self.clips, _ = split_footage(self.footage)
            missing = [p for p in self.clips if not osp.isfile(p)]
            if missing:
                raise FileNotFoundError(
                    f'clips listed in {osp.join(self.footage, "footage.json")} are missing: '
                    f'{missing}; run tools/dataset_converters/fetch_footage.py again')
            if not self.clips:
                raise ValueError(f'{osp.join(self.footage, "footage.json")} lists no '
                                 'training clip')
        return [dict(sample=i) for i in range(self.length)]

    def _rng(self, *keys: int) -> np.random.Generator:
        """A generator of this dataset seed, process rank, loader worker and ``keys``: every
        worker of every rank makes its own sequences."""
        import torch.utils.data
        from mmengine.dist import get_rank
        info = torch.utils.data.get_worker_info()
        worker = info.id if info is not None else 0
        return np.random.default_rng([self.seed, get_rank(), worker, *keys])

    def _new_sequence(self) -> Dict:
        """Synthesize one sequence of the mix into the pool (the oldest leaves a full one)."""
        rng = self._rng(1, self._made)
        self._made += 1
        names, shares, overrides = zip(*self.mix)
        k = int(rng.choice(len(names), p=np.array(shares) / sum(shares)))
        recipe = dict(self.recipe, **{n: v for n, v in overrides[k].items() if n != 'source'})
        procedural = overrides[k].get('source') == 'procedural'
        clip = None if procedural else self.clips[int(rng.integers(len(self.clips)))]
        seq = synthesize_sequence(rng, clip, recipe)
        del seq['blur_gamma' if self.blur_type == 'blur' else 'blur']  # never read
        seq['meta'] = dict(seq['meta'], kind=names[k], index=self._made - 1)
        self._pool.append(seq)
        return seq

    def _sequence(self, rng: np.random.Generator) -> Dict:
        if len(self._pool) < self.pool_size or self._since_new >= self.samples_per_sequence:
            self._since_new = 0
            self._new_sequence()
        self._since_new += 1
        return self._pool[int(rng.integers(len(self._pool)))]

    def get_data_info(self, idx: int) -> dict:
        self._draws += 1
        rng = self._rng(0, idx, self._draws)
        seq = self._sequence(rng)
        sharp = seq['sharp']
        n = len(sharp)
        centre = int(rng.integers(n))
        interval = self.frame_intervals[int(rng.integers(len(self.frame_intervals)))]
        source = sharp if rng.random() < self.sharp_prob else seq[self.blur_type]
        frames = [source[i] for i in window_indices(centre, self.num_input_frames, n,
                                                    interval=interval)]
        meta = seq['meta']
        name = f'{meta["kind"]}{meta["index"]:05d}_{meta["source"].split(".")[0]}'
        key = f'{name}/{centre:06d}'
        # the fields VideoDeblurDataset + LoadImageFromFile give, in their order (MMagic
        # stacks a batch only if every sample's metainfo fields agree)
        return dict(img_path=[key] * self.num_input_frames, gt_path=key, key=key,
                    vis_name=key.replace('/', '__'), sequence=name, frame=f'{centre:06d}',
                    num_input_frames=self.num_input_frames, sample_idx=idx, img=frames,
                    ori_img_shape=[f.shape for f in frames], img_channel_order='rgb',
                    img_color_type='color', gt=sharp[centre], ori_gt_shape=sharp[centre].shape,
                    gt_channel_order='rgb', gt_color_type='color',
                    synthesis=dict(meta, frame_interval=interval,
                                   sharp_input=source is sharp))

    def pool_summary(self) -> List[Tuple[str, str, int]]:
        """(kind, source, frames) of each sequence in this process's pool."""
        return [(s['meta']['kind'], s['meta']['source'], s['meta']['frames'])
                for s in self._pool]
