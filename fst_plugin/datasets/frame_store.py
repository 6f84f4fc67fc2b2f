"""A frame store: every frame of a GOPRO-layout dataset decoded once into uint8 arrays.

Training on GOPRO decodes T+1 full 1280x720 PNGs (~14 ms each) to cut one 256x256 crop, so
a data-loader worker delivers a few samples per second while a GPU runs an FST step in tens
of milliseconds. The store keeps each frame folder of a sequence as one ``.npy`` array
(n, h, w, 3), RGB, that is memory-mapped: a crop reads only its rows, with no decoding.

Layout, mirroring the dataset it was built from::

    <store>/<split>/<sequence>/<folder>.npy   # folder: blur, blur_gamma, sharp ('/' -> '__')
    <store>/<split>/<sequence>/frames.json    # frame names in order, frame size, folders
    <store>/store_meta.json                   # source root, splits, folders, when built

Built by ``tools/dataset_converters/build_frame_store.py``; selected with ``VideoDeblurDataset(frame_store=...)``
and the ``LoadFrameStoreCrop``/``LoadFrameStore`` transforms (``configs/fst/fst_1xb8-1000e_gopro-store.py``).
The PNG tree stays the source of truth: the dataset lists sequences and frames from it and
checks that the store holds the same frames.
"""
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence

import cv2
import numpy as np

META_FILE = 'frames.json'


def folder_file(folder: str) -> str:
    """File name of a frame folder's array, e.g. ``'Blur/RGB'`` -> ``'Blur__RGB.npy'``."""
    return folder.replace('/', '__').replace(os.sep, '__') + '.npy'


def build_frame_store(data_root: str,
                      store_root: str,
                      splits: Sequence[str] = ('train', 'test'),
                      blur_types: Sequence[str] = ('blur', 'blur_gamma'),
                      preset: str = 'gopro',
                      log: Callable[[str], None] = print) -> Dict[str, int]:
    """Decode every frame of ``data_root`` once into ``store_root`` (see module docstring).

    Sequences whose arrays are complete are skipped, so an interrupted build continues
    where it stopped; an array is written under a temporary name and renamed when full.

    Args:
        data_root (str): Dataset root as distributed, e.g. ``data/GOPRO_Large``.
        store_root (str): Where to write the store.
        splits (Sequence[str]): Splits to store. Default: train and test.
        blur_types (Sequence[str]): GOPRO blurry folders to store (the sharp folder is
            always stored). Default: ``blur`` and ``blur_gamma``.
        preset (str): Layout preset of :class:`VideoDeblurDataset`. Default: ``'gopro'``.
        log (callable): Progress messages. Default: ``print``.

    Returns:
        dict: ``frames`` decoded, ``sequences`` written, ``skipped`` (already complete).
    """
    from .video_deblur_dataset import VideoDeblurDataset
    start, counts = time.time(), dict(frames=0, sequences=0, skipped=0)
    for split in splits:
        listers = [VideoDeblurDataset(data_root=data_root, split=split, preset=preset,
                                      blur_type=b, lazy_init=True) for b in blur_types]
        seqs = listers[0].sequence_folders()
        for k, seq in enumerate(seqs, 1):
            folders = {}
            for lister in listers:
                blur, sharp = lister.pair_frames(seq)
                folders[lister.blur_dir] = blur
                folders[lister.sharp_dir] = sharp
            names = [osp.splitext(n)[0] for n in folders[listers[0].sharp_dir]]
            seq_out = osp.join(store_root, split, seq)
            if _complete(seq_out, names, folders):
                counts['skipped'] += 1
                continue
            os.makedirs(seq_out, exist_ok=True)
            size = None
            for folder, files in folders.items():
                size = _write_array(osp.join(listers[0].split_root, seq, folder), files,
                                    osp.join(seq_out, folder_file(folder)))
                counts['frames'] += len(files)
            with open(osp.join(seq_out, META_FILE), 'w') as f:
                json.dump(dict(frames=names, size=size, folders=sorted(folders)), f)
            counts['sequences'] += 1
            log(f'[{split} {k}/{len(seqs)}] {seq}: {len(names)} frames x {len(folders)} '
                f'folders ({time.time() - start:.0f} s)')
    os.makedirs(store_root, exist_ok=True)
    with open(osp.join(store_root, 'store_meta.json'), 'w') as f:
        json.dump(dict(source=osp.abspath(data_root), preset=preset, splits=list(splits),
                       blur_types=list(blur_types), built=time.strftime('%Y-%m-%d %H:%M:%S')),
                  f, indent=1)
    return counts


def _complete(seq_out: str, names: List[str], folders: Dict[str, List[str]]) -> bool:
    meta = osp.join(seq_out, META_FILE)
    if not osp.isfile(meta):
        return False
    with open(meta) as f:
        stored = json.load(f)
    return stored.get('frames') == names and all(
        osp.isfile(osp.join(seq_out, folder_file(d))) for d in folders)


def _write_array(folder: str, files: List[str], path: str) -> List[int]:
    """Decode ``files`` of ``folder`` (RGB) into a ``.npy`` array; returns [h, w]."""
    first = _read_rgb(osp.join(folder, files[0]))
    tmp = path + '.partial'
    array = np.lib.format.open_memmap(tmp, mode='w+', dtype=np.uint8,
                                      shape=(len(files), *first.shape))
    array[0] = first
    for i, name in enumerate(files[1:], 1):
        frame = _read_rgb(osp.join(folder, name))
        if frame.shape != first.shape:
            raise ValueError(f'{osp.join(folder, name)} is {frame.shape[1]}x{frame.shape[0]}, '
                             f'the sequence\'s first frame {first.shape[1]}x{first.shape[0]}')
        array[i] = frame
    array.flush()
    del array
    os.replace(tmp, path)
    return list(first.shape[:2])


def _read_rgb(path: str) -> np.ndarray:
    frame = cv2.imread(path, cv2.IMREAD_COLOR)
    if frame is None:
        raise ValueError(f'cannot decode {path}')
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


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
