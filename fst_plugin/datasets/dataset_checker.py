"""Check a paired blurry/sharp video dataset file by file before training on it."""
import os
import os.path as osp
from typing import Callable, Dict, List, Optional

from .frame_checks import CHANNEL_NOTES, frame_shape, is_loop_or_broken_link, read_frame
from .video_deblur_dataset import VideoDeblurDataset


def check_dataset(data_root: str,
                  split: Optional[str] = 'train',
                  preset: str = 'gopro',
                  blur_type: str = 'blur',
                  num_frames: int = 5,
                  crop_size: Optional[int] = None,
                  decode: bool = True,
                  progress: Optional[Callable[[int, int, str], None]] = None) -> Dict:
    """Every problem of a dataset split, each naming the sequence and file.

    Errors (training would fail or be wrong): missing blurry/sharp folders, unequal frame
    counts or names, non-image files, broken or looping symlinks, frames that cannot be
    decoded (empty, truncated), blurry and sharp frames of different sizes, frames of
    different sizes within a sequence, frames smaller than ``crop_size``.
    Warnings: sequences shorter than ``num_frames`` (clips repeat frames).
    Notes: grayscale / RGBA frames (converted to RGB by the pipeline's
    ``color_type='color'``).

    Args:
        data_root (str): Dataset root.
        split (str, optional): Split folder (``'train'``, ``'test'``); None for DVD.
        preset (str): ``'gopro'``, ``'dvd'`` or ``'bsd'``. Default: ``'gopro'``.
        blur_type (str): GOPRO ``'blur'`` or ``'blur_gamma'``. Default: ``'blur'``.
        num_frames (int): Clip length T. Default: 5.
        crop_size (int, optional): Training crop; smaller frames are errors.
        decode (bool): Decode every frame (slow on big sets). Default: True.
        progress (callable, optional): Called as ``progress(done, total, sequence)``.

    Returns:
        dict: ``errors``, ``warnings``, ``notes`` (lists of str), ``sequences``, ``frames``.
    """
    layout = VideoDeblurDataset(data_root=data_root, split=split, preset=preset,
                                blur_type=blur_type, lazy_init=True)
    report = dict(errors=[], warnings=[], notes=[], sequences=0, frames=0)
    errors, warnings, notes = report['errors'], report['warnings'], report['notes']
    root = layout.split_root
    if not osp.isdir(root):
        errors.append(f'{root}: split folder missing')
        return report
    entries = sorted(os.listdir(root))
    for name in entries:
        if is_loop_or_broken_link(osp.join(root, name)):
            errors.append(f'{osp.join(root, name)}: broken or looping symbolic link')
    seqs = layout.sequence_folders()
    if not seqs:
        errors.append(f'{root}: no sequence folders')
    work: List = []
    for seq in seqs:
        try:
            blur, sharp = layout.pair_frames(seq)
        except (OSError, ValueError) as err:
            msg = str(err)
            errors.append(msg if msg.startswith('sequence ') else f'sequence {seq!r}: {msg}')
            continue
        report['sequences'] += 1
        report['frames'] += len(blur)
        if len(blur) < num_frames:
            warnings.append(f'sequence {seq!r}: {len(blur)} frames, fewer than a clip of '
                            f'{num_frames}: its clips repeat frames')
        work.append((seq, blur, sharp))

    total = sum(len(b) for _, b, _ in work)
    done = 0
    for seq, blur, sharp in work if decode else []:
        seq_size, channel_notes = None, {}
        for b_name, s_name in zip(blur, sharp):
            shapes = {}
            for kind, sub, name in (('blurry', layout.blur_dir, b_name),
                                    ('sharp', layout.sharp_dir, s_name)):
                path = osp.join(root, seq, sub, name)
                try:
                    shapes[kind] = (path, frame_shape(read_frame(path)))
                except ValueError as err:
                    errors.append(f'sequence {seq!r}: {err}')
            for path, (h, w, c) in shapes.values():
                if c in CHANNEL_NOTES:
                    channel_notes.setdefault(c, [0, path])[0] += 1
                if crop_size and min(h, w) < crop_size:
                    errors.append(f'sequence {seq!r}: {path} ({w}x{h}) is smaller than the '
                                  f'training crop {crop_size}x{crop_size}')
            if len(shapes) == 2:
                (b_path, b_shape), (s_path, s_shape) = shapes['blurry'], shapes['sharp']
                if b_shape[:2] != s_shape[:2]:
                    errors.append(f'sequence {seq!r}: {b_path} is {b_shape[1]}x{b_shape[0]} '
                                  f'but {s_path} is {s_shape[1]}x{s_shape[0]}')
                elif seq_size is None:
                    seq_size = (b_path, b_shape[:2])
                elif b_shape[:2] != seq_size[1]:
                    errors.append(f'sequence {seq!r}: {b_path} is {b_shape[1]}x{b_shape[0]} '
                                  f'but {seq_size[0]} is {seq_size[1][1]}x{seq_size[1][0]}: '
                                  'frames of a clip must have one size')
            done += 1
            if progress:
                progress(done, total, seq)
        for c, (count, first) in sorted(channel_notes.items()):
            notes.append(f'sequence {seq!r}: {count} frame(s) {CHANNEL_NOTES[c]}, e.g. {first}')
    return report
