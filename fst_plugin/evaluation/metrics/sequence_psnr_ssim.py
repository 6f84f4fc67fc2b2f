"""PSNR/SSIM per frame, per sequence and overall, for the output and the blurry input."""
import json
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmagic.evaluation.metrics.psnr import psnr
from mmagic.evaluation.metrics.ssim import ssim
from mmagic.registry import METRICS


@METRICS.register_module()
class SequencePSNRSSIM(BaseMetric):
    """Video deblurring scores with MMagic's PSNR and SSIM, frame by frame.

    Scores are computed on RGB at full resolution with no border crop, on the output as
    MMagic's ``DataPreprocessor.destruct`` returns it (range [0, 255], clamped, not
    rounded), exactly as MMagic's ``PSNR``/``SSIM`` metrics do. The overall number is the
    mean over every test frame (frame-weighted, as GOPRO results are reported), not the
    mean of sequence means. The blurry reference frame of each clip is scored the same
    way (``input_PSNR``/``input_SSIM``) so every run shows what the model gained.

    After evaluation the log shows a per-sequence table, and with ``out_file`` a JSON
    file holds ``overall``, ``per_sequence`` and ``per_frame`` numbers.

    Args:
        with_input (bool): Also score the blurry target frame (``blurry_img`` of the
            prediction, else the centre of the input clip). Default: True.
        out_file (str, optional): Where to write the JSON report. Default: None.
        collect_device (str): ``'cpu'`` or ``'gpu'`` for gathering across ranks.
        prefix (str, optional): Prefix of the metric names. Default: None.
    """

    default_prefix = None

    def __init__(self,
                 with_input: bool = True,
                 out_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.with_input = with_input
        self.out_file = out_file

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Score each output frame (and its blurry input) against its sharp frame."""
        for sample in data_samples:
            gt = _chw(sample['gt_img'])
            pred = _chw(sample['output']['pred_img'])
            key = sample.get('key') or osp.basename(str(sample.get('gt_path', '')))
            sequence = sample.get('sequence') or osp.dirname(key) or 'all'
            record = dict(
                key=key,
                sequence=sequence,
                PSNR=float(psnr(gt, pred, input_order='CHW')),
                SSIM=float(ssim(gt, pred, input_order='CHW')))
            if self.with_input:
                if 'blurry_img' in sample:  # the model's own target frame of the clip
                    blurry = _chw(sample['blurry_img'])
                else:
                    clip = _chw(sample['input'])
                    blurry = clip[clip.shape[0] // 2] if clip.ndim == 4 else clip
                record['input_PSNR'] = float(psnr(gt, blurry, input_order='CHW'))
                record['input_SSIM'] = float(ssim(gt, blurry, input_order='CHW'))
            self.results.append(record)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Average over frames, report per sequence, write the JSON report."""
        names = [n for n in ('PSNR', 'SSIM', 'input_PSNR', 'input_SSIM') if n in results[0]]
        # results gathered from several ranks may repeat or reorder frames: one per key
        frames = OrderedDict((r['key'], r) for r in sorted(results, key=lambda r: r['key']))
        per_sequence = OrderedDict()
        for r in frames.values():
            per_sequence.setdefault(r['sequence'], []).append(r)
        seq_table = OrderedDict(
            (seq, dict(frames=len(rs), **{n: float(np.mean([r[n] for r in rs])) for n in names}))
            for seq, rs in per_sequence.items())
        overall = {n: float(np.mean([r[n] for r in frames.values()])) for n in names}

        logger = MMLogger.get_current_instance()
        logger.info('\n' + format_table(seq_table, overall, names, len(frames)))
        if self.out_file:
            os.makedirs(osp.dirname(osp.abspath(self.out_file)), exist_ok=True)
            report = dict(
                protocol='RGB, full frame, no border crop, mean over all frames',
                num_frames=len(frames),
                overall=overall,
                per_sequence=seq_table,
                per_frame=list(frames.values()))
            with open(self.out_file, 'w') as f:
                json.dump(report, f, indent=1)
            logger.info(f'per-frame, per-sequence and overall scores written to {self.out_file}')
        return overall


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
