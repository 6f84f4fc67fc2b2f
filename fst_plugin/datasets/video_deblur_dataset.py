"""Paired blurry/sharp video dataset for GOPRO, DVD, BSD and folders laid out like them."""
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from mmagic.registry import DATASETS
from fst_plugin.utils.frame_window import PADDINGS, window_indices
from fst_plugin.utils.video_io import IMG_EXTENSIONS, frame_sort_key
from .frame_checks import diagnose_sample, is_loop_or_broken_link
from .frame_store import check_store_sequence, folder_file

# Where each benchmark keeps its frames, relative to ``<data_root>/<split>/<sequence>/``.
PRESETS = {
    # GOPRO_Large: {train,test}/<seq>/{blur,blur_gamma,sharp}/<frame>.png
    'gopro': dict(blur_dir='{blur_type}', sharp_dir='sharp', split=True),
    # DVD (DeepVideoDeblurring_Dataset/quantitative_datasets): <seq>/{input,GT}/<frame>.jpg
    'dvd': dict(blur_dir='input', sharp_dir='GT', split=False),
    # BSD (BSD_2ms16ms etc.): {train,valid,test}/<seq>/{Blur,Sharp}/RGB/<frame>.png
    'bsd': dict(blur_dir='Blur/RGB', sharp_dir='Sharp/RGB', split=True),
}
WINDOWS = ('center', 'trailing', 'sequence')
GT_FRAMES = ('target', 'all')


@DATASETS.register_module()
class VideoDeblurDataset(BaseDataset):
    """Clips of T blurry frames around (or ending at) a target frame, with sharp frame(s).

    Reads the datasets as distributed, without preprocessing: sequences of different
    lengths, arbitrary first frame numbers (frames are ordered by the number in their
    name), and the blurry and sharp folders of a sequence must hold the same frame names.
    Every frame of every sequence is a target once (``target_interval=1``); near the
    sequence ends the missing neighbours are padded by replication or reflection.

    Each sample is a dict with ``img_path`` (list of T blurry frames, target in the
    middle), ``gt_path`` (the sharp target), ``key`` (``'<sequence>/<frame>'``),
    ``sequence``, ``frame``, ``vis_name`` (``'<sequence>__<frame>'``, a file name for
    saved images) and ``scale=1`` (for MMagic's ``PairedRandomCrop``); MMagic's
    ``LoadImageFromFile``/``PackInputs`` turn it into inputs (t, c, h, w) and
    ``gt_img`` (c, h, w). The dataset's ``metainfo`` also lists every sequence's frames
    in order (``sequence_frames``, ``{sequence: [frame, ...]}``), the blurry folder
    (``blur_dir``) and ``data_root``/``split``, so that metrics can score frames by their
    position in the sequence and reports can say which frames were read. These keys differ
    between datasets of different folders: an MMEngine ``ConcatDataset`` of such datasets
    needs ``ignore_keys=list(VideoDeblurDataset.PER_FOLDER_METAINFO)``.

    Args:
        data_root (str): Dataset root, e.g. ``data/GOPRO_Large``.
        split (str, optional): Sub-folder of ``data_root`` for presets with splits
            (``'train'``/``'test'``; BSD also ``'valid'``). Default: ``'train'``.
        preset (str): ``'gopro'``, ``'dvd'`` or ``'bsd'``. Default: ``'gopro'``.
        blur_type (str): GOPRO only: ``'blur'`` or ``'blur_gamma'``. Default: ``'blur'``.
        blur_dir (str, optional): Override the preset's blurry folder inside a sequence.
        sharp_dir (str, optional): Override the preset's sharp folder inside a sequence.
        num_input_frames (int): T, odd. Default: 5.
        padding (str): ``'replicate'`` or ``'reflection'`` for edge frames.
            Default: ``'replicate'``.
        sequences (Sequence[str], optional): Keep only these sequences (each must
            exist). Default: all.
        exclude_sequences (Sequence[str], optional): Leave these sequences out, e.g. the
            training sequences held out for validation (names absent from the split are
            ignored). Default: none.
        target_interval (int): Use every k-th frame as a target (e.g. quick
            validation). Default: 1.
        frame_interval (int): Neighbours in a clip are k frames apart (the target stays
            in the middle): the same sequence as footage of a k times lower frame rate or a
            k times faster camera, to measure how a model copes with neighbours that line
            up less (``tools/test.py --frame-interval``). Default: 1.
        window (str): ``'center'``: the target is the middle of the clip (T odd; FST,
            EDVR). ``'trailing'``: the clip is the T frames ending at the target, for
            recurrent models (STFAN) that restore the last frame. ``'sequence'``: one
            sample per sequence holding all its frames and all its sharp frames (``frame``
            lists their names), for testing recurrent models over whole sequences;
            ``num_input_frames``, ``padding`` and ``target_interval`` do not apply.
            Default: ``'center'``.
        gt_frames (str): ``'target'``: ``gt_path`` is the target's sharp frame.
            ``'all'``: ``gt_path`` lists the sharp frame of every clip frame (recurrent
            training), and ``gt_img`` becomes (t, c, h, w). Default: ``'target'``.
        frame_store (str, optional): Root of a frame store built from this dataset by
            ``tools/dataset_converters/build_frame_store.py``: each sample then also names the store's arrays
            and frame indices (``img_store``, ``img_index``, ``gt_store``, ``gt_index``,
            ``store_size``) for the ``LoadFramesFromStore`` transform, which reads crops
            without decoding. Frames are still listed from ``data_root``, and the store must
            hold the same ones. Default: None (decode the images).
        **kwargs: ``pipeline``, ``test_mode``, ``metainfo``, ... of ``BaseDataset``.
    """

    METAINFO = dict(dataset_type='video_deblur', task_name='deblur')
    PER_FOLDER_METAINFO = ('sequence_frames', 'blur_dir', 'data_root', 'split')

    def __init__(self,
                 data_root: str,
                 split: Optional[str] = 'train',
                 preset: str = 'gopro',
                 blur_type: str = 'blur',
                 blur_dir: Optional[str] = None,
                 sharp_dir: Optional[str] = None,
                 num_input_frames: int = 5,
                 padding: str = 'replicate',
                 sequences: Optional[Sequence[str]] = None,
                 exclude_sequences: Optional[Sequence[str]] = None,
                 target_interval: int = 1,
                 frame_interval: int = 1,
                 window: str = 'center',
                 gt_frames: str = 'target',
                 frame_store: Optional[str] = None,
                 **kwargs):
        if preset not in PRESETS:
            raise ValueError(f'preset must be one of {sorted(PRESETS)}, got {preset!r}')
        if blur_type not in ('blur', 'blur_gamma'):
            raise ValueError(f"blur_type must be 'blur' or 'blur_gamma', got {blur_type!r}")
        if window not in WINDOWS:
            raise ValueError(f'window must be one of {WINDOWS}, got {window!r}')
        if gt_frames not in GT_FRAMES:
            raise ValueError(f'gt_frames must be one of {GT_FRAMES}, got {gt_frames!r}')
        if num_input_frames < 1 or (window == 'center' and num_input_frames % 2 == 0):
            raise ValueError(f'num_input_frames must be a positive odd number for '
                             f'window="center", got {num_input_frames}')
        if padding not in PADDINGS:
            raise ValueError(f'padding must be one of {PADDINGS}, got {padding!r}')
        if target_interval < 1:
            raise ValueError(f'target_interval must be >= 1, got {target_interval}')
        if frame_interval < 1:
            raise ValueError(f'frame_interval must be >= 1, got {frame_interval}')
        if window == 'sequence' and frame_interval != 1:
            raise ValueError('window="sequence" reads every frame of a sequence in order: '
                             f'frame_interval must be 1, got {frame_interval}')
        if window == 'sequence' and target_interval != 1:
            raise ValueError('window="sequence" restores every frame of a sequence: '
                             f'target_interval must be 1, got {target_interval}')
        layout = PRESETS[preset]
        self.preset = preset
        self.split = split if layout['split'] else None
        self.blur_dir = blur_dir or layout['blur_dir'].format(blur_type=blur_type)
        self.sharp_dir = sharp_dir or layout['sharp_dir']
        self.num_input_frames = num_input_frames
        self.padding = padding
        self.sequences = list(sequences) if sequences is not None else None
        self.exclude_sequences = list(exclude_sequences or [])
        overlap = sorted(set(self.sequences or []) & set(self.exclude_sequences))
        if overlap:
            raise ValueError(f'sequences {overlap} are both selected (sequences) and '
                             'excluded (exclude_sequences)')
        self.target_interval = target_interval
        self.frame_interval = frame_interval
        self.window = window
        self.gt_frames = gt_frames
        self.frame_store = frame_store
        super().__init__(data_root=data_root, **kwargs)

    @property
    def split_root(self) -> str:
        """Folder that holds the sequences."""
        return osp.join(self.data_root, self.split) if self.split else self.data_root

    def load_data_list(self) -> List[dict]:
        """Scan the sequences and build one sample per target frame."""
        root = self.split_root
        if not osp.isdir(root):
            raise FileNotFoundError(self._missing_message(root))
        entries = os.listdir(root)
        bad_links = sorted(d for d in entries if is_loop_or_broken_link(osp.join(root, d)))
        if bad_links:
            raise ValueError(f'{root}: broken or looping symbolic links instead of sequence '
                             f'folders: {bad_links}')
        seqs = self.sequence_folders()
        if self.sequences is not None:
            unknown = sorted(set(self.sequences) - set(seqs))
            if unknown:
                raise FileNotFoundError(
                    f'sequences {unknown} not found in {root} (it holds {seqs[:6]}'
                    f'{" ..." if len(seqs) > 6 else ""}). The GOPRO configs validate on the '
                    'GOPRO_Large training sequences named in configs/_base_/datasets/'
                    'gopro.py; for other data choose yours, e.g. --cfg-options '
                    '"val_dataloader.dataset.sequences=[\'<seq>\']" and '
                    '"train_dataloader.dataset.exclude_sequences=[\'<seq>\']"')
            seqs = [s for s in seqs if s in set(self.sequences)]
        seqs = [s for s in seqs if s not in set(self.exclude_sequences)]
        if not seqs:
            raise FileNotFoundError(self._missing_message(root))

        data_list = []
        # every sequence's frames in order, for metrics that score by position in the
        # sequence (SequencePSNRSSIM skips edge frames under some protocols)
        sequence_frames = {}
        t = self.num_input_frames
        reach = (t // 2 if self.window == 'center' else t - 1) * self.frame_interval
        for seq in seqs:
            blur_frames, sharp_frames = self.pair_frames(seq)
            n = len(blur_frames)
            sequence_frames[seq] = [osp.splitext(f)[0] for f in blur_frames]
            store = self._store_fields(seq, sequence_frames[seq])
            if self.window == 'sequence':
                sample = self._sequence_sample(root, seq, blur_frames, sharp_frames)
                if store:
                    sample.update(store, img_index=list(range(n)), gt_index=list(range(n)))
                data_list.append(sample)
                continue
            if n < self.num_input_frames:
                print_log(f'sequence {seq!r} has {n} frames, fewer than the '
                          f'{self.num_input_frames} of a clip: its clips repeat frames '
                          f'({self.padding} padding)', logger='current', level=30)
            if self.padding == 'reflection' and n <= reach:
                raise ValueError(f'sequence {osp.join(root, seq)} has {n} frames: reflection '
                                 f'padding of {self.num_input_frames} frames needs more than '
                                 f'{reach}; use padding="replicate"')
            for i in range(0, n, self.target_interval):
                idx = window_indices(i, t, n, self.padding, self.window, self.frame_interval)
                stem = osp.splitext(blur_frames[i])[0]
                sharp = [osp.join(root, seq, self.sharp_dir, sharp_frames[j]) for j in idx]
                data_list.append(
                    dict(
                        img_path=[osp.join(root, seq, self.blur_dir, blur_frames[j]) for j in idx],
                        gt_path=sharp if self.gt_frames == 'all' else
                        osp.join(root, seq, self.sharp_dir, sharp_frames[i]),
                        key=f'{seq}/{stem}',
                        vis_name=f'{seq}__{stem}',
                        sequence=seq,
                        frame=stem,
                        scale=1,
                        num_input_frames=self.num_input_frames))
                if store:
                    data_list[-1].update(store, img_index=list(idx),
                                         gt_index=list(idx) if self.gt_frames == 'all' else i)
        self._metainfo.update(sequence_frames=sequence_frames, blur_dir=self.blur_dir,
                              data_root=self.data_root, split=self.split)
        return data_list

    def _store_fields(self, seq: str, names: List[str]) -> dict:
        """Array paths and frame size of a sequence in the frame store ({} without one)."""
        if not self.frame_store:
            return {}
        store_seq = osp.join(self.frame_store, self.split or '', seq)
        stored = check_store_sequence(store_seq, names)
        for folder in (self.blur_dir, self.sharp_dir):
            if folder not in stored['folders']:
                raise FileNotFoundError(f'frame store {store_seq} has no {folder!r} frames '
                                        f'(it holds {stored["folders"]}): rebuild it with '
                                        'that folder')
        return dict(img_store=osp.join(store_seq, folder_file(self.blur_dir)),
                    gt_store=osp.join(store_seq, folder_file(self.sharp_dir)),
                    store_size=tuple(stored['size']))

    def _sequence_sample(self, root: str, seq: str, blur_frames: List[str],
                         sharp_frames: List[str]) -> dict:
        """One sample holding a whole sequence (``window='sequence'``)."""
        return dict(
            img_path=[osp.join(root, seq, self.blur_dir, f) for f in blur_frames],
            gt_path=[osp.join(root, seq, self.sharp_dir, f) for f in sharp_frames],
            key=seq,
            vis_name=seq,
            sequence=seq,
            frame=[osp.splitext(f)[0] for f in blur_frames],
            scale=1,
            num_input_frames=len(blur_frames))

    def prepare_data(self, idx: int):
        """Run the pipeline on sample ``idx``; a failure names the sample and the bad file.

        MMagic's loaders fail on a truncated or empty frame with an error about ``None``;
        here the sample's files are checked after any failure, and the error says which
        sequence and file are broken (undecodable, size mismatch between blurry and sharp,
        smaller than the crop) next to the original error.
        """
        try:
            return super().prepare_data(idx)
        except Exception as err:
            info = self.get_data_info(idx)
            gt = info['gt_path'] if isinstance(info['gt_path'], list) else [info['gt_path']]
            crop = self._training_crop()
            problems = diagnose_sample(info['img_path'], gt, crop)
            found = '; '.join(problems) if problems else 'no broken file found'
            raise ValueError(f'cannot load sample {info["key"]} (sequence '
                             f'{info["sequence"]!r}): {found}. Original error: '
                             f'{type(err).__name__}: {err}. Run tools/dataset_converters/check_dataset.py on '
                             f'{self.data_root} to list every problem.') from err

    def _training_crop(self) -> Optional[int]:
        """``gt_patch_size`` of the pipeline's crop transform (``PairedRandomCrop``), if any."""
        return next((t.gt_patch_size for t in getattr(self.pipeline, 'transforms', [])
                     if getattr(t, 'gt_patch_size', None) is not None), None)

    def sequence_folders(self) -> List[str]:
        """Sorted names of every sequence folder of the split (before ``sequences``
        selects), e.g. ``['GOPR0372_07_00', ...]``."""
        root = self.split_root
        return sorted(d for d in os.listdir(root) if osp.isdir(osp.join(root, d)))

    def pair_frames(self, seq: str) -> Tuple[List[str], List[str]]:
        """Sorted frame names of a sequence's blurry and sharp folders, checked to match.

        Raises:
            FileNotFoundError: a folder is missing.
            ValueError: no frames, different counts, or names that do not pair up.
        """
        root = self.split_root
        folders = {}
        for kind, sub in (('blurry', self.blur_dir), ('sharp', self.sharp_dir)):
            folder = osp.join(root, seq, sub)
            if not osp.isdir(folder):
                raise FileNotFoundError(f'sequence {seq!r}: {kind} folder {folder} is missing')
            folders[kind] = (folder, list_frames(folder))
        (blur_folder, blur), (sharp_folder, sharp) = folders['blurry'], folders['sharp']
        if len(blur) != len(sharp):
            raise ValueError(f'sequence {seq!r}: {len(blur)} blurry frames in {blur_folder} '
                             f'but {len(sharp)} sharp frames in {sharp_folder}')
        if not blur:
            raise ValueError(f'sequence {seq!r}: no frames in {blur_folder}')
        unmatched = [(b, s) for b, s in zip(blur, sharp)
                     if osp.splitext(b)[0] != osp.splitext(s)[0]]
        if unmatched:
            raise ValueError(f'sequence {seq!r}: blurry and sharp frame names differ, first '
                             f'pair {unmatched[0]} ({blur_folder} vs {sharp_folder})')
        return blur, sharp

    def _missing_message(self, root: str) -> str:
        example = {
            'gopro': f'{self.data_root}/train/GOPR0372_07_00/{self.blur_dir}/000047.png',
            'dvd': f'{self.data_root}/720p_240fps_2/input/00000.jpg',
            'bsd': f'{self.data_root}/train/000/Blur/RGB/00000000.png',
        }[self.preset]
        return (f'no {self.preset} sequences found in {osp.abspath(root)} (expected files like '
                f'{example}). Download the dataset and unpack it there (or set data_root), or '
                'synthesize GOPRO-layout data with `python tools/dataset_converters/synthesize_gopro.py --out '
                f'{self.data_root}`.')


def list_frames(folder: str) -> List[str]:
    """Image files of a frame folder in natural order; other files raise an error."""
    names = [n for n in os.listdir(folder) if not n.startswith('.')]
    bad_links = sorted(n for n in names if is_loop_or_broken_link(osp.join(folder, n)))
    if bad_links:
        raise ValueError(f'{folder}: broken or looping symbolic links: {bad_links[:5]}')
    others = sorted(n for n in names if not n.lower().endswith(IMG_EXTENSIONS))
    if others:
        raise ValueError(f'{folder} holds files that are not frames: {others[:5]}'
                         f'{" ..." if len(others) > 5 else ""}')
    return sorted(names, key=frame_sort_key)

