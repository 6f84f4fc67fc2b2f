"""Build a frame store (:mod:`fst_plugin.datasets.frame_store`) from a dataset as distributed."""
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Sequence

import cv2
import numpy as np

from .frame_store import META_FILE, folder_file
from .video_deblur_dataset import VideoDeblurDataset


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
