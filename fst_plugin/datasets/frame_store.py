"""A frame store: every frame of a GOPRO-layout dataset decoded once into uint8 arrays.

Training on GOPRO decodes T+1 full 1280x720 PNGs to cut one 256x256 crop. The store keeps each frame folder of a sequence as one ``.npy`` array
(n, h, w, 3), RGB, that is memory-mapped: a crop reads only its rows, with no decoding.

Layout, mirroring the dataset it was built from::

    <store>/<split>/<sequence>/<folder>.npy   # folder: blur, blur_gamma, sharp ('/' -> '__')
    <store>/<split>/<sequence>/frames.json    # frame names in order, frame size, folders
    <store>/store_meta.json                   # source root, splits, folders, when built

Built by :func:`~fst_plugin.datasets.frame_store_builder.build_frame_store`
(``tools/dataset_converters/build_frame_store.py``); read through
``VideoDeblurDataset(frame_store=...)`` and the ``LoadFramesFromStore`` transform.
The PNG tree stays the source of truth: the dataset lists sequences and frames from it and
checks that the store holds the same frames.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

META_FILE = 'frames.json'


def folder_file(folder: str) -> str:
    """File name of a frame folder's array, e.g. ``'Blur/RGB'`` -> ``'Blur__RGB.npy'``."""
    return folder.replace('/', '__').replace(os.sep, '__') + '.npy'


class FrameStoreReader:
    """Memory-maps the store's arrays on first use (per process: data-loader workers each
    open their own maps) and reads frames or crops of them."""

    def __init__(self):
        self._arrays: Dict[str, np.ndarray] = {}

    def array(self, path: str) -> np.ndarray:
        if path not in self._arrays:
            if not osp.isfile(path):
                raise FileNotFoundError(f'frame store array {path} is missing: build the store '
                                        'with tools/dataset_converters/build_frame_store.py')
            self._arrays[path] = np.load(path, mmap_mode='r')
        return self._arrays[path]

    def read(self, path: str, indices: Sequence[int],
             box: Optional[Sequence[int]] = None) -> List[np.ndarray]:
        """Frames ``indices`` of the array at ``path``, cropped to ``box`` = (top, left,
        height, width) when given; contiguous uint8 (h, w, 3) copies."""
        array = self.array(path)
        if box is None:
            return [np.array(array[i]) for i in indices]
        top, left, h, w = box
        return [np.array(array[i, top:top + h, left:left + w]) for i in indices]


def check_store_sequence(store_seq: str, names: List[str]) -> Dict:
    """The store's ``frames.json`` of a sequence, checked against the dataset's frame names.

    Raises:
        FileNotFoundError: the sequence is not in the store.
        ValueError: the store holds other frames (built from another version of the data).
    """
    meta = osp.join(store_seq, META_FILE)
    if not osp.isfile(meta):
        raise FileNotFoundError(f'{store_seq} is not in the frame store: build it with '
                                'python tools/dataset_converters/build_frame_store.py DATA_ROOT STORE_ROOT')
    with open(meta) as f:
        stored = json.load(f)
    if stored['frames'] != names:
        raise ValueError(f'frame store {store_seq} holds {len(stored["frames"])} frames that '
                         f'differ from the dataset\'s {len(names)}: rebuild the store')
    return stored
