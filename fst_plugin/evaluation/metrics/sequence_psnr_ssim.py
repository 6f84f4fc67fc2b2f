"""PSNR/SSIM per frame, per sequence and overall, for the output and the blurry input,
under named evaluation protocols."""
import json
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

from mmagic.evaluation.metrics.psnr import psnr
from mmagic.evaluation.metrics.ssim import ssim
from mmagic.registry import METRICS
from fst_plugin.utils.video_io import frame_sort_key
from ..protocols import EvaluationProtocol, ProtocolSpec, resolve_protocols


@METRICS.register_module()
class SequencePSNRSSIM(BaseMetric):
    """Video deblurring scores with MMagic's PSNR and SSIM, frame by frame, under one or
    more named evaluation protocols.

    The default protocol ``'full'`` scores RGB at full resolution with no border crop, every
    frame, on the output as MMagic's ``DataPreprocessor.destruct`` returns it (range
    [0, 255], clamped, not rounded), exactly as MMagic's ``PSNR``/``SSIM`` metrics do.
    ``'cdvd_tsp'`` is the protocol of the published tables that FST's Table 1 copies
    (8-bit output, 4 px border cropped, first/last 2 frames of every sequence skipped; see
    :mod:`fst_plugin.evaluation.protocols`). Several protocols can be scored in one run:
    the first gives the plain metric names (``PSNR``, ``SSIM``, ...), each further one
    ``'<name>/PSNR'`` and so on.

    The overall number is the mean over scored frames (frame-weighted, as GOPRO results are
    reported), not the mean of sequence means. The blurry reference frame of each clip is
    scored the same way (``input_PSNR``/``input_SSIM``) so every run shows what the model
    gained. Edge frames are skipped by their position in the whole sequence, read from the
    dataset's ``sequence_frames`` metainfo (``VideoDeblurDataset`` provides it), so a
    validation run on every 10th frame still skips the right ones.

    After evaluation the log names each protocol and shows a per-sequence table; with
    ``out_file`` a JSON file holds, per protocol, its settings, ``overall`` and
    ``per_sequence`` numbers, and ``per_frame`` scores with the protocols that scored each
    frame, plus the blurry folder (``blur`` or ``blur_gamma``) the frames came from.

    Args:
        protocol (str | dict | list): Protocol name (``'full'``, ``'cdvd_tsp'``), a custom
            one as a dict (``name``, ``quantize``, ``crop_border``, ``skip_edge_frames``,
            optional ``base``), or a list of them. Default: ``'full'``.
        with_input (bool): Also score the blurry target frame (``blurry_img`` of the
            prediction, else the centre of the input clip). Default: True.
        out_file (str, optional): Where to write the JSON report. Default: None.
        collect_device (str): ``'cpu'`` or ``'gpu'`` for gathering across ranks.
        prefix (str, optional): Prefix of the metric names. Default: None.
    """

    default_prefix = None

    def __init__(self,
                 protocol: Union[ProtocolSpec, Sequence[ProtocolSpec]] = 'full',
                 with_input: bool = True,
                 out_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.protocols = resolve_protocols(protocol)
        self.with_input = with_input
        self.out_file = out_file

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Score each output frame (and its blurry input) against its sharp frame, once per
        protocol (edge frames are dropped later, when every frame's position is known)."""
        for sample in data_samples:
            gt = _chw(sample['gt_img'])
            pred = _chw(sample['output']['pred_img'])
            # one result per dataset sample (MMEngine keeps len(dataset) results), holding
            # one record per scored frame
            if pred.ndim == 4:  # a whole sequence restored (recurrent models)
                self.results.append(self._score_sequence(sample, gt, pred))
                continue
            key = sample.get('key') or osp.basename(str(sample.get('gt_path', '')))
            sequence = sample.get('sequence') or osp.dirname(key) or 'all'
            frame = sample.get('frame') or osp.basename(key)
            images = dict(output=pred)
            if self.with_input:
                if 'blurry_img' in sample:  # the model's own target frame of the clip
                    images['input'] = _chw(sample['blurry_img'])
                else:
                    clip = _chw(sample['input'])
                    images['input'] = clip[clip.shape[0] // 2] if clip.ndim == 4 else clip
            self.results.append([self._record(key, sequence, str(frame), gt, images)])

    def _score_sequence(self, sample: dict, gt: np.ndarray, pred: np.ndarray) -> List[dict]:
        """Score every frame of a whole-sequence sample: ``pred_img``, ``gt_img`` and
        ``blurry_img`` (t, c, h, w), ``frame`` the t frame names."""
        frames, sequence = sample.get('frame'), sample.get('sequence') or sample.get('key')
        if not isinstance(frames, (list, tuple)) or len(frames) != len(pred) or \
                gt.shape != pred.shape:
            raise ValueError(f'sequence sample {sequence!r}: {len(pred)} output frames need '
                             f'as many frame names and sharp frames (got {frames!r} and '
                             f'{gt.shape})')
        blurry = _chw(sample['blurry_img']) if self.with_input else None
        records = []
        for i, frame in enumerate(frames):
            images = dict(output=pred[i])
            if blurry is not None:
                images['input'] = blurry[i]
            records.append(self._record(f'{sequence}/{frame}', sequence, str(frame), gt[i],
                                        images))
        return records

    def _record(self, key: str, sequence: str, frame: str, gt: np.ndarray,
                images: Dict[str, np.ndarray]) -> dict:
        record = dict(key=key, sequence=sequence, frame=frame, scores={})
        for protocol in self.protocols:
            record['scores'][protocol.name] = score_frame(gt, images, protocol)
        return record

    def compute_metrics(self, results: List[List[dict]]) -> Dict[str, float]:
        """Average over scored frames per protocol, log the tables, write the JSON report.

        Args:
            results (list[list[dict]]): Per dataset sample, its frames' records.
        """
        records = [r for sample in results for r in sample]
        # results gathered from several ranks may repeat or reorder frames: one per key
        frames = OrderedDict((r['key'], r) for r in sorted(records, key=lambda r: r['key']))
        positions = self._frame_positions(list(frames.values()))
        logger = MMLogger.get_current_instance()
        metrics, reports = OrderedDict(), OrderedDict()
        for i, protocol in enumerate(self.protocols):
            scored = [r for r in frames.values()
                      if _is_scored(positions[r['key']], protocol.skip_edge_frames)]
            if not scored:
                raise ValueError(f'evaluation protocol {protocol.name!r} skips the first and '
                                 f'last {protocol.skip_edge_frames} frames of each sequence, '
                                 'which leaves no frame to score in these sequences: '
                                 f'{sorted({r["sequence"] for r in frames.values()})}')
            values = [r['scores'][protocol.name] for r in scored]
            names = list(values[0])
            per_sequence = OrderedDict()
            for r, v in zip(scored, values):
                per_sequence.setdefault(r['sequence'], []).append(v)
            seq_table = OrderedDict(
                (seq, dict(frames=len(vs), **{n: float(np.mean([v[n] for v in vs]))
                                              for n in names}))
                for seq, vs in per_sequence.items())
            overall = {n: float(np.mean([v[n] for v in values])) for n in names}
            logger.info(f'evaluation protocol {protocol.describe()}; {len(scored)} of '
                        f'{len(frames)} frames scored\n'
                        + format_table(seq_table, overall, names, len(scored)))
            prefix = '' if i == 0 else f'{protocol.name}/'
            metrics.update((prefix + n, v) for n, v in overall.items())
            reports[protocol.name] = dict(
                settings=protocol._asdict(), description=protocol.describe(),
                num_frames=len(scored), overall=overall, per_sequence=seq_table)
        if self.out_file:
            self._write_report(frames, positions, reports)
        return dict(metrics)

    def _frame_positions(self, records: List[dict]) -> Dict[str, Tuple[int, int]]:
        """``key -> (position in its sequence, sequence length)``, from the dataset's
        ``sequence_frames`` metainfo; without it (a dataset that does not list its frames),
        from the order of the frames that were scored, with a warning when a protocol skips
        edge frames, since that is only right when every frame was tested."""
        listing = (self.dataset_meta or {}).get('sequence_frames')
        by_seq = OrderedDict()
        for r in records:
            by_seq.setdefault(r['sequence'], []).append(r)
        positions = {}
        for seq, rs in by_seq.items():
            order = listing.get(seq) if listing else None
            if order is None:
                order = sorted((r['frame'] for r in rs), key=frame_sort_key)
                if any(p.skip_edge_frames for p in self.protocols):
                    print_log(f'sequence {seq!r}: the dataset does not list its frames '
                              '(metainfo "sequence_frames"); edge frames are counted among '
                              'the tested frames only', logger='current', level=30)
            index = {name: i for i, name in enumerate(order)}
            for r in rs:
                if r['frame'] not in index:
                    raise ValueError(f'frame {r["key"]!r} is not in the dataset\'s listing of '
                                     f'sequence {seq!r}')
                positions[r['key']] = (index[r['frame']], len(order))
        return positions

    def _write_report(self, frames, positions, reports) -> None:
        """JSON: protocols with settings/overall/per-sequence, and every frame's scores."""
        primary = self.protocols[0]
        per_frame = []
        for key, r in frames.items():
            position, length = positions[key]
            row = dict(key=key, sequence=r['sequence'], frame=r['frame'],
                       position=position, sequence_length=length,
                       scored_by=[p.name for p in self.protocols
                                  if _is_scored(positions[key], p.skip_edge_frames)])
            row.update(r['scores'][primary.name])
            for p in self.protocols[1:]:
                row.update((f'{p.name}/{n}', v) for n, v in r['scores'][p.name].items())
            per_frame.append(row)
        meta = self.dataset_meta or {}
        report = dict(
            protocol=primary.describe(),
            protocols=reports,
            blur_dir=meta.get('blur_dir'),
            data_root=meta.get('data_root'),
            num_frames=reports[primary.name]['num_frames'],
            overall=reports[primary.name]['overall'],
            per_sequence=reports[primary.name]['per_sequence'],
            per_frame=per_frame)
        os.makedirs(osp.dirname(osp.abspath(self.out_file)), exist_ok=True)
        with open(self.out_file, 'w') as f:
            json.dump(report, f, indent=1)
        print_log(f'per-frame, per-sequence and overall scores written to {self.out_file}',
                  logger='current')


def score_frame(gt: np.ndarray, images: Dict[str, np.ndarray],
                protocol: EvaluationProtocol) -> Dict[str, float]:
    """PSNR and SSIM of each image (``output``, optional ``input``) against ``gt`` (all
    (c, h, w) in [0, 255]) under ``protocol``: ``{'PSNR', 'SSIM', 'input_PSNR', ...}``."""
    if protocol.quantize:  # as a saved 8-bit frame; round half to even like torch.round
        gt = np.round(gt)
        images = {k: np.round(np.clip(v, 0, 255)) for k, v in images.items()}
    h, w = gt.shape[-2:]
    if 2 * protocol.crop_border >= min(h, w):
        raise ValueError(f'evaluation protocol {protocol.name!r}: crop_border '
                         f'{protocol.crop_border} leaves nothing of a {w}x{h} frame')
    scores = {}
    for kind, img in images.items():
        prefix = '' if kind == 'output' else 'input_'
        scores[prefix + 'PSNR'] = float(
            psnr(gt, img, crop_border=protocol.crop_border, input_order='CHW'))
        scores[prefix + 'SSIM'] = float(
            ssim(gt, img, crop_border=protocol.crop_border, input_order='CHW'))
    return scores


def _is_scored(position: Tuple[int, int], skip: int) -> bool:
    index, length = position
    return skip <= index < length - skip


def _chw(x) -> np.ndarray:
    """Tensor or array in [0, 255] to a float64 numpy array (keeps its shape)."""
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def format_table(seq_table: Dict[str, dict], overall: Dict[str, float], names: List[str],
                 num_frames: int) -> str:
    """Plain-text table: one row per sequence and an overall row."""
    header = ['sequence', 'frames'] + names
    rows = [[seq, str(v['frames'])] + [_fmt(n, v[n]) for n in names]
            for seq, v in seq_table.items()]
    rows.append(['overall (frame mean)', str(num_frames)] + [_fmt(n, overall[n]) for n in names])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: '  '.join(c.ljust(w) for c, w in zip(r, widths))  # noqa: E731
    sep = '-' * len(line(header))
    return '\n'.join([line(header), sep] + [line(r) for r in rows[:-1]] + [sep, line(rows[-1])])


def _fmt(name: str, value: float) -> str:
    return f'{value:.4f}' if 'SSIM' in name else f'{value:.2f}'
