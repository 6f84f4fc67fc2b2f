"""Training clips synthesized on the fly from sharp photographs."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS
from .photo_sources import read_photo_index
from .synthesis.camera_shake import synthesize_clip


@DATASETS.register_module()
class CameraShakePhotoDataset(BaseDataset):
    """Clips of sharp photographs blurred by a simulated hand-held camera, made per sample.

    Every sample draws a photograph of the chosen sources and renders T frames of it seen
    by a shaking camera (:func:`~fst_plugin.datasets.synthesis.camera_shake.synthesize_clip`:
    dense sub-frames averaged in linear light, moving layers, highlights, sensor noise,
    sometimes JPEG; some clips still or sharp). Nothing is written to disk; every draw is a
    new clip, seeded by the dataset seed, the index, the draw count and the loader worker.
    A sample is what ``LoadImageFromFile`` and ``PairedRandomCrop`` would give for a
    GOPRO-layout dataset (``img``: T frames, ``gt``: the sharp centre frame, RGB uint8), so
    the usual augmentations and ``PackInputs`` follow.

    Args:
        photo_index (str): ``photos.json`` written by
            ``tools/dataset_converters/fetch_photos.py``.
        role (str): Read the sources with this role, ``'train'`` or ``'held_out'``.
            Default: ``'train'``.
        sources (Sequence[str], optional): Only these sources (of that role).
        num_input_frames (int): T, odd. Default: 5.
        crop_size (int): Side of the square clips. Default: 160.
        length (int): Samples per epoch. Default: 1000.
        max_side (int): Photographs are decoded and kept in memory shrunk to at most this
            side (area filtering). Default: 2560.
        shake (dict, optional): Overrides of
            :data:`~fst_plugin.datasets.synthesis.camera_shake.DEFAULT_SHAKE`.
        seed (int): Seed of the draws. Default: 0.
        pipeline (list): Transforms after the clip is made. Default: ().
        test_mode (bool): As in MMEngine's ``BaseDataset``. Default: False.
    """

    METAINFO = dict(dataset_type='camera_shake_photos', task_name='video_deblurring')

    def __init__(self,
                 photo_index: str,
                 role: str = 'train',
                 sources: Optional[Sequence[str]] = None,
                 num_input_frames: int = 5,
                 crop_size: int = 160,
                 length: int = 1000,
                 max_side: int = 2560,
                 shake: Optional[dict] = None,
                 seed: int = 0,
                 pipeline: Sequence = (),
                 test_mode: bool = False,
                 **kwargs):
        if num_input_frames % 2 == 0:
            raise ValueError(f'num_input_frames must be odd, got {num_input_frames}')
        if role not in ('train', 'held_out'):
            raise ValueError(f"role must be 'train' or 'held_out', got {role!r}")
        self.photo_index, self.role = photo_index, role
        self.sources = list(sources) if sources else None
        self.num_input_frames, self.crop_size = num_input_frames, crop_size
        self.length, self.max_side, self.seed = length, max_side, seed
        self.shake = dict(shake or {})
        self._cache: Dict[str, np.ndarray] = {}
        self._draws = 0
        super().__init__(data_root='', pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        records = read_photo_index(self.photo_index)
        chosen = {name: r for name, r in records.items() if r['role'] == self.role}
        if self.sources:
            unknown = sorted(set(self.sources) - set(chosen))
            if unknown:
                raise ValueError(f'{self.photo_index}: no {self.role} sources {unknown}; '
                                 f'{self.role} sources there: {sorted(chosen)}')
            chosen = {n: chosen[n] for n in self.sources}
        self.photos = [(name, p['path']) for name, r in sorted(chosen.items())
                       for p in r['photos']]
        if not self.photos:
            raise ValueError(f'{self.photo_index} lists no {self.role} photographs')
        for _, path in self.photos:
            if not osp.isfile(path):
                raise FileNotFoundError(f'{path} (listed in {self.photo_index}) is missing; '
                                        'run tools/dataset_converters/fetch_photos.py again')
        return [dict(sample=i) for i in range(self.length)]

    def _photo(self, path: str) -> np.ndarray:
        if path not in self._cache:
            bgr = cv2.imread(path, cv2.IMREAD_COLOR)
            if bgr is None:
                raise ValueError(f'cannot decode {path}')
            h, w = bgr.shape[:2]
            scale = self.max_side / max(h, w)
            if scale < 1:
                bgr = cv2.resize(bgr, (round(w * scale), round(h * scale)),
                                 interpolation=cv2.INTER_AREA)
            self._cache[path] = np.ascontiguousarray(bgr[..., ::-1])
        return self._cache[path]

    def _rng(self, idx: int) -> np.random.Generator:
        import torch.utils.data
        info = torch.utils.data.get_worker_info()
        worker = info.id if info is not None else 0
        self._draws += 1
        return np.random.default_rng([self.seed, idx, self._draws, worker])

    def get_data_info(self, idx: int) -> dict:
        rng = self._rng(idx)
        name, path = self.photos[int(rng.integers(len(self.photos)))]
        others = [self._photo(self.photos[int(rng.integers(len(self.photos)))][1])
                  for _ in range(2)]
        clip = synthesize_clip(rng, self._photo(path), (self.crop_size, self.crop_size),
                               self.num_input_frames, others=others, shake=self.shake)
        stem = osp.splitext(osp.basename(path))[0]
        key = f'{name}/{stem}/{idx:06d}'
        # the fields VideoDeblurDataset + LoadImageFromFile give, in their order: MMagic
        # stacks a batch only if every sample's metainfo fields agree, as sets whose
        # iteration order follows insertion
        return dict(img_path=[path] * self.num_input_frames, gt_path=path, key=key,
                    vis_name=key.replace('/', '__'), sequence=f'{name}_{stem}',
                    frame=f'{idx:06d}', num_input_frames=self.num_input_frames,
                    sample_idx=idx, img=clip['img'],
                    ori_img_shape=[f.shape for f in clip['img']], img_channel_order='rgb',
                    img_color_type='color', gt=clip['gt'], ori_gt_shape=clip['gt'].shape,
                    gt_channel_order='rgb', gt_color_type='color', synthesis=clip['meta'])
