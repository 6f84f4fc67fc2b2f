import json

import numpy as np
import pytest
import torch

from mmagic.evaluation import PSNR, SSIM
from fst_plugin.evaluation import SequencePSNRSSIM


def make_samples(seed=0):
    rng = torch.Generator().manual_seed(seed)
    samples = []
    for seq, n in (('a', 3), ('b', 1)):
        for i in range(n):
            gt = torch.rand(3, 24, 20, generator=rng) * 255
            pred = (gt + torch.randn(3, 24, 20, generator=rng) * (5 + 10 * i)).clamp(0, 255)
            clip = torch.stack([gt + 30] * 2 + [(gt + 20).clamp(0, 255)] + [gt] * 2)
            samples.append(dict(gt_img=gt, output=dict(pred_img=pred), input=clip,
                                key=f'{seq}/{i:06d}', sequence=seq))
    return samples


def test_same_numbers_as_mmagic_and_frame_weighted(tmp_path):
    samples = make_samples()
    out = tmp_path / 'scores.json'
    metric = SequencePSNRSSIM(out_file=str(out))
    metric.process(None, samples)
    result = metric.compute_metrics(metric.results)

    ref_psnr, ref_ssim = PSNR(), SSIM()
    ref_psnr.process(None, samples)
    ref_ssim.process(None, samples)
    assert result['PSNR'] == pytest.approx(ref_psnr.compute_metrics(ref_psnr.results)['PSNR'])
    assert result['SSIM'] == pytest.approx(ref_ssim.compute_metrics(ref_ssim.results)['SSIM'])

    report = json.loads(out.read_text())
    per_frame = [f['PSNR'] for f in report['per_frame']]
    assert len(per_frame) == 4
    # frame-weighted: the overall mean is over 4 frames, not over the 2 sequence means
    assert result['PSNR'] == pytest.approx(np.mean(per_frame))
    seq_means = [v['PSNR'] for v in report['per_sequence'].values()]
    assert result['PSNR'] != pytest.approx(np.mean(seq_means))
    assert report['per_sequence']['a']['frames'] == 3
    # the blurry input is the centre frame of the clip: gt + 20
    centre = samples[0]['input'][2]
    mse = ((centre.double() - samples[0]['gt_img'].double())**2).mean()
    assert report['per_frame'][0]['input_PSNR'] == pytest.approx(
        float(10 * torch.log10(255.**2 / mse)), rel=1e-4)


def test_table_in_log():
    """The log gets one row per sequence with its frame count and scores, and the overall
    (frame-mean) row, with the numbers that compute_metrics returns."""
    import logging

    from mmengine.logging import MMLogger
    logged = []

    class Capture(logging.Handler):
        def emit(self, record):
            logged.append(record.getMessage())
    logger, handler = MMLogger.get_current_instance(), Capture()
    logger.addHandler(handler)
    try:
        metric = SequencePSNRSSIM(with_input=False)
        metric.process(None, make_samples())
        result = metric.compute_metrics(metric.results)
    finally:
        logger.removeHandler(handler)
    table = next(m for m in logged if m.strip().startswith('sequence'))
    lines = table.strip().splitlines()
    assert lines[0].split() == ['sequence', 'frames', 'PSNR', 'SSIM']
    rows = {line.split()[0]: line.split() for line in lines if line[:1].isalnum()}
    assert rows['a'][1] == '3' and rows['b'][1] == '1'
    overall = lines[-1].split()
    assert overall[:3] == ['overall', '(frame', 'mean)'] and overall[3] == '4'
    assert float(overall[4]) == pytest.approx(result['PSNR'], abs=0.005)
    assert float(overall[5]) == pytest.approx(result['SSIM'], abs=5e-5)


def test_input_score_uses_the_models_target_frame():
    # a recurrent model restores the last clip frame and says so with blurry_img
    samples = make_samples()
    metric = SequencePSNRSSIM()
    metric.process(None, [dict(s, blurry_img=s['input'][-1]) for s in samples])
    last = metric.compute_metrics(metric.results)
    assert last['input_PSNR'] == float('inf') or last['input_PSNR'] > 80  # input[-1] == gt
    metric = SequencePSNRSSIM()
    metric.process(None, samples)
    centre = metric.compute_metrics(metric.results)['input_PSNR']
    assert 20 < centre < 30  # centre frame is gt + 20
