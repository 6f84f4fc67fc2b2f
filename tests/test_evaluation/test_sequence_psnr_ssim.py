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
    """The log names the protocol and gets one row per sequence with its frame count and
    scores, and the overall (frame-mean) row, with the numbers that compute_metrics
    returns."""
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
    table = next(m for m in logged if m.startswith('evaluation protocol'))
    head, *lines = table.strip().splitlines()
    assert head == ('evaluation protocol full: RGB, float output (clamped, not rounded), '
                    'full frame, every frame; 4 of 4 frames scored')
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


# ---------------------------------------------------------------- evaluation protocols
def hand_psnr(gt, out):
    mse = np.mean((gt.astype(np.float64) - out.astype(np.float64))**2)
    return 20 * np.log10(255.0 / np.sqrt(mse))


def hand_ssim(gt, out):
    """SSIM as the CDVD-TSP tables compute it: 11x11 Gaussian (sigma 1.5) statistics per
    channel, valid region only, mean over the map and the channels; (h, w, c) arrays."""
    import cv2
    kernel = cv2.getGaussianKernel(11, 1.5)
    window = np.outer(kernel, kernel.T)
    values = []
    for c in range(gt.shape[2]):
        a, b = gt[..., c].astype(np.float64), out[..., c].astype(np.float64)
        f = lambda x: cv2.filter2D(x, -1, window)[5:-5, 5:-5]  # noqa: E731
        mu_a, mu_b = f(a), f(b)
        var_a, var_b, cov = f(a * a) - mu_a**2, f(b * b) - mu_b**2, f(a * b) - mu_a * mu_b
        c1, c2 = (0.01 * 255)**2, (0.03 * 255)**2
        values.append((((2 * mu_a * mu_b + c1) * (2 * cov + c2)) /
                       ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))).mean())
    return float(np.mean(values))


def make_sequence(n=6, seed=1, h=32, w=28):
    """One sequence of n frames: 8-bit sharp frames, outputs with fractional values and an
    error concentrated in a 3 px border, so rounding and border cropping both matter."""
    rng = np.random.default_rng(seed)
    samples = []
    for i in range(n):
        gt = rng.integers(0, 256, (3, h, w)).astype(np.float32)
        pred = np.clip(gt + rng.normal(0, 3 + i, gt.shape), 0, 255).astype(np.float32)
        pred[:, :3] = np.clip(pred[:, :3] + 60, 0, 255)
        blurry = np.clip(gt + 15, 0, 255)
        samples.append(dict(gt_img=torch.from_numpy(gt), output=dict(pred_img=torch.from_numpy(
            pred)), blurry_img=torch.from_numpy(blurry), key=f's/{i:04d}', sequence='s',
            frame=f'{i:04d}'))
    return samples


def test_cdvd_tsp_protocol_equals_a_hand_computation(tmp_path):
    samples = make_sequence()
    metric = SequencePSNRSSIM(protocol=['full', 'cdvd_tsp'], out_file=str(tmp_path / 'r.json'))
    metric.dataset_meta = dict(sequence_frames={'s': [f'{i:04d}' for i in range(6)]},
                               blur_dir='blur_gamma')
    metric.process(None, samples)
    result = metric.compute_metrics(metric.results)

    def hwc(t):
        return t.numpy().transpose(1, 2, 0)
    psnrs, ssims, full = [], [], []
    for i, s in enumerate(samples):
        gt, out = hwc(s['gt_img']), hwc(s['output']['pred_img'])
        full.append(hand_psnr(gt, out))
        if 2 <= i < 4:  # first and last 2 frames skipped
            q = np.round(out)[4:-4, 4:-4]
            psnrs.append(hand_psnr(gt[4:-4, 4:-4], q))
            ssims.append(hand_ssim(gt[4:-4, 4:-4], q))
    assert result['cdvd_tsp/PSNR'] == pytest.approx(np.mean(psnrs), abs=1e-6)
    assert result['cdvd_tsp/SSIM'] == pytest.approx(np.mean(ssims), abs=1e-6)
    assert result['PSNR'] == pytest.approx(np.mean(full), abs=1e-6)
    assert result['cdvd_tsp/PSNR'] > result['PSNR'] + 1  # the border error is cropped away

    report = json.loads((tmp_path / 'r.json').read_text())
    assert report['blur_dir'] == 'blur_gamma'
    assert report['protocols']['cdvd_tsp']['settings'] == dict(
        name='cdvd_tsp', quantize=True, crop_border=4, skip_edge_frames=2)
    assert report['protocols']['cdvd_tsp']['num_frames'] == 2
    assert report['protocols']['full']['num_frames'] == 6
    assert [f['scored_by'] for f in report['per_frame']] == (
        [['full']] * 2 + [['full', 'cdvd_tsp']] * 2 + [['full']] * 2)
    assert report['per_frame'][2]['cdvd_tsp/PSNR'] == pytest.approx(psnrs[0], abs=1e-6)


@pytest.mark.parametrize('option', ['quantize', 'crop_border', 'skip_edge_frames'])
def test_each_protocol_option_alone(option):
    samples = make_sequence()
    value = dict(quantize=True, crop_border=3, skip_edge_frames=1)[option]
    metric = SequencePSNRSSIM(protocol=dict(name='custom', **{option: value}))
    metric.dataset_meta = dict(sequence_frames={'s': [f'{i:04d}' for i in range(6)]})
    metric.process(None, samples)
    result = metric.compute_metrics(metric.results)
    expected = []
    for i, s in enumerate(samples):
        gt = s['gt_img'].numpy().transpose(1, 2, 0)
        out = s['output']['pred_img'].numpy().transpose(1, 2, 0)
        if option == 'quantize':
            out = np.round(out)
        if option == 'crop_border':
            gt, out = gt[3:-3, 3:-3], out[3:-3, 3:-3]
        if option == 'skip_edge_frames' and i in (0, 5):
            continue
        expected.append(hand_psnr(gt, out))
    assert result['PSNR'] == pytest.approx(np.mean(expected), abs=1e-6)
    # the blurry input is scored under the same protocol
    assert 'input_PSNR' in result


def test_edge_frames_are_skipped_by_position_in_the_whole_sequence():
    # validation on every 3rd frame of a 7-frame sequence tests frames 0, 3, 6: with 2 edge
    # frames skipped only frame 3 counts, although 0 and 6 are not at the ends of what ran
    samples = [s for i, s in enumerate(make_sequence(7)) if i % 3 == 0]
    metric = SequencePSNRSSIM(protocol='cdvd_tsp')
    metric.dataset_meta = dict(sequence_frames={'s': [f'{i:04d}' for i in range(7)]})
    metric.process(None, samples)
    result = metric.compute_metrics(metric.results)
    only = SequencePSNRSSIM(protocol='cdvd_tsp')
    only.dataset_meta = dict(sequence_frames={'s': ['0000', '0001', '0003', '0005', '0006']})
    only.process(None, [samples[1]])
    assert result['PSNR'] == pytest.approx(only.compute_metrics(only.results)['PSNR'])


def test_protocol_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"unknown evaluation protocol 'cdvd'.*cdvd_tsp"):
        SequencePSNRSSIM(protocol='cdvd')
    with pytest.raises(ValueError, match='crop_border must be an integer >= 0'):
        SequencePSNRSSIM(protocol=dict(name='x', crop_border=-1))
    with pytest.raises(ValueError, match=r"unknown fields \['border'\]"):
        SequencePSNRSSIM(protocol=dict(name='x', border=4))
    with pytest.raises(ValueError, match='names must differ'):
        SequencePSNRSSIM(protocol=['full', 'full'])
    metric = SequencePSNRSSIM(protocol='cdvd_tsp')  # 3 frames, 2 skipped at each end
    metric.dataset_meta = dict(sequence_frames={'s': ['0000', '0001', '0002']})
    metric.process(None, make_sequence(3))
    with pytest.raises(ValueError, match='leaves no frame to score'):
        metric.compute_metrics(metric.results)


def test_a_whole_sequence_sample_scores_each_frame_through_evaluate():
    """One dataset sample holding a restored sequence (t, c, h, w): every frame is scored
    on its own, also through MMEngine's evaluate(size), which keeps `size` results (one
    per dataset sample, not one per frame)."""
    frames = make_sequence(4)
    sample = dict(gt_img=torch.stack([f['gt_img'] for f in frames]),
                  output=dict(pred_img=torch.stack([f['output']['pred_img'] for f in frames])),
                  blurry_img=torch.stack([f['blurry_img'] for f in frames]),
                  key='s', sequence='s', frame=[f['frame'] for f in frames])
    metric = SequencePSNRSSIM()
    metric.process(None, [sample])
    result = metric.evaluate(1)  # one dataset sample
    per_frame = SequencePSNRSSIM()
    per_frame.process(None, frames)
    assert result == pytest.approx(per_frame.evaluate(4))
    with pytest.raises(ValueError, match='4 output frames need as many frame names'):
        metric.process(None, [dict(sample, frame=['0000'])])
