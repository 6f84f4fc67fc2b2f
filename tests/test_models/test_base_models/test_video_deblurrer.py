import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper

from mmagic.registry import MODELS
from mmagic.structures import DataSample


def build_model(**kwargs):
    cfg = dict(
        type='VideoDeblurrer',
        generator=dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),
                       num_dense_layers=1, num_decoder_blocks=(1, 1, 1)),
        pixel_loss=[dict(type='CharbonnierLoss'),
                    dict(type='FrequencyReconstructionLoss', loss_weight=0.1)],
        data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                               std=[255., 255., 255.]))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def make_batch(n=2, h=16, w=16):
    inputs = [torch.randint(0, 256, (5, 3, h, w)).float() for _ in range(n)]
    samples = []
    for i in range(n):
        s = DataSample(gt_img=torch.randint(0, 256, (3, h, w)).float())
        s.set_metainfo(dict(key=f'seq/{i:06d}', sequence='seq'))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def test_train_step_logs_each_loss_and_updates():
    torch.manual_seed(0)
    model = build_model()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    before = model.generator.conv_last.weight.clone()
    log_vars = {k: float(v) for k, v in model.train_step(make_batch(), optim).items()}
    assert set(log_vars) == {'loss', 'loss_charbonnier', 'loss_frequencyreconstruction'}
    assert log_vars['loss'] == pytest.approx(
        log_vars['loss_charbonnier'] + log_vars['loss_frequencyreconstruction'], rel=1e-5)
    assert not torch.equal(before, model.generator.conv_last.weight)


def test_val_step_returns_datasamples_with_output_and_input():
    model = build_model()
    outputs = model.val_step(make_batch(h=13, w=11))
    assert len(outputs) == 2
    out = outputs[0]
    assert out.output.pred_img.shape == (3, 13, 11)
    assert out.input.shape == (5, 3, 13, 11)
    torch.testing.assert_close(out.blurry_img, out.input[2])
    # untrained FSTNet returns the blurry centre frame (in [0, 255])
    torch.testing.assert_close(out.output.pred_img, out.input[2], atol=1e-3, rtol=0)


def test_non_finite_loss_stops_with_iteration():
    model = build_model()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    MessageHub.get_current_instance().update_info('iter', 41)
    batch = make_batch()
    batch['inputs'][0][0, 0, 0, 0] = float('nan')
    before = model.generator.encoders[0][0].weight.clone()
    with pytest.raises(FloatingPointError, match='iteration 41'):
        model.train_step(batch, optim)
    assert torch.equal(before, model.generator.encoders[0][0].weight)


def test_single_loss_dict_and_empty_list():
    model = build_model(pixel_loss=dict(type='L1Loss'))
    assert model.loss_names == ['loss_l1']
    with pytest.raises(ValueError, match='at least one loss'):
        build_model(pixel_loss=[])


def test_non_finite_loss_skip_mode_leaves_weights_and_optimizer_alone():
    model = build_model(nonfinite_loss='skip', max_skipped_steps=2)
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    model.train_step(make_batch(), optim)  # one good step: Adam has state
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    adam = {k: v.clone() for k, v in optim.optimizer.state[model.generator.conv_last.weight]
            .items()}
    MessageHub.get_current_instance().update_info('iter', 7)
    bad = make_batch()
    bad['inputs'][1][2, 0, 3, 3] = float('inf')
    log_vars = model.train_step(bad, optim)
    assert log_vars['skipped_nonfinite'] == 1.0 and 'loss' not in log_vars
    for k, v in model.state_dict().items():
        assert torch.equal(v, weights[k]), k
    for k, v in optim.optimizer.state[model.generator.conv_last.weight].items():
        assert torch.equal(v, adam[k]), k
    assert all(p.grad is None or not p.grad.abs().sum() for p in model.parameters())
    model.train_step(make_batch(), optim)  # a good step resets the count and trains
    assert model.skipped_in_a_row == 0
    assert not torch.equal(weights['generator.conv_last.weight'],
                           model.generator.conv_last.weight)
    model.train_step(bad, optim)
    with pytest.raises(FloatingPointError, match='2 consecutive non-finite'):
        model.train_step(bad, optim)


def test_non_finite_mode_is_checked():
    with pytest.raises(ValueError, match="nonfinite_loss must be 'raise' or 'skip'"):
        build_model(nonfinite_loss='ignore')


def with_paths(batch, clips, gts):
    for s, clip, gt in zip(batch['data_samples'], clips, gts):
        s.set_metainfo(dict(img_path=[f'/d/seq/blur/{f}.png' for f in clip],
                            gt_path=f'/d/seq/sharp/{gt}.png'))
    return batch


def test_a_target_that_is_not_the_restored_frame_raises():
    """A centre-frame model fed trailing windows (target at the end) must not silently
    train or score against the wrong frame; centred clips, edge padding included, pass."""
    model = build_model()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    centred = with_paths(make_batch(), [['0', '0', '0', '1', '2'], ['3', '4', '5', '6', '7']],
                         ['0', '5'])
    model.train_step(centred, optim)
    model.val_step(centred)
    trailing = with_paths(make_batch(), [['0', '0', '0', '0', '0'], ['1', '2', '3', '4', '5']],
                          ['0', '5'])
    with pytest.raises(ValueError, match=r"restores frame 2 of each 5-frame clip, but sample "
                       r"'seq/000001' has '3' there and its ground truth is '5'.*"
                       r'window="center"'):
        model.train_step(trailing, optim)
    with pytest.raises(ValueError, match='window="center"'):
        model.val_step(trailing)


def test_edvr_target_is_its_center_frame_idx():
    edvr = dict(type='EDVRDeblurNet', mid_channels=8, num_frames=5, deform_groups=2,
                num_blocks_extraction=1, num_blocks_reconstruction=1)
    model = build_model(generator=dict(edvr, center_frame_idx=1), pixel_loss=dict(
        type='MSELoss'))
    assert model.target_index(5) == 1
    batch = with_paths(make_batch(n=1), [['3', '4', '5', '6', '7']], ['5'])
    with pytest.raises(ValueError, match="restores frame 1 .* has '4' there"):
        model.val_step(batch)
    assert build_model(generator=edvr, pixel_loss=dict(type='MSELoss')).target_index(5) == 2


def _views(x):
    """The 8 flips/transposes of (..., h, w), each with its inverse (written out here,
    independently of MMagic's SpatialTemporalEnsemble that the model uses)."""
    for transpose in (False, True):
        for dims in ((), (-2, ), (-1, ), (-2, -1)):
            fwd = x.flip(dims) if dims else x
            fwd = fwd.transpose(-2, -1) if transpose else fwd

            def back(y, dims=dims, transpose=transpose):
                y = y.transpose(-2, -1) if transpose else y
                return y.flip(dims) if dims else y
            yield fwd, back


def _perturbed(model):
    torch.manual_seed(0)
    with torch.no_grad():  # a random FSTNet returns its input: make it do something
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model


@pytest.mark.parametrize('temporal', [False, True])
def test_ensemble_averages_the_eight_views_in_eval_mode_only(temporal):
    model = _perturbed(build_model(ensemble=dict(type='SpatialTemporalEnsemble',
                                                 is_temporal_ensemble=temporal)))
    x = torch.rand(1, 5, 3, 12, 20)
    net = model.generator.eval()
    with torch.no_grad():
        clips = [x, x.flip(1)] if temporal else [x]
        want = sum(back(net(v)) for c in clips for v, back in _views(c)) / (8 * len(clips))
        model.eval()
        got = model.forward_tensor(x)
        torch.testing.assert_close(got, want, atol=1e-5, rtol=0)
        assert (got - net(x)).abs().max() > 1e-3  # the ensemble changed the output
        model.train()  # training runs the network once, as without the ensemble
        torch.testing.assert_close(model.forward_tensor(x), net.train()(x))


def test_ensemble_errors_are_clear():
    with pytest.raises(ValueError, match='SpatialTemporalEnsemble'):
        build_model(ensemble=dict(type='FlipEnsemble'))
    edvr = build_model(
        generator=dict(type='EDVRDeblurNet', mid_channels=8, deform_groups=2,
                       num_blocks_extraction=1, num_blocks_reconstruction=1,
                       center_frame_idx=1),
        ensemble=dict(type='SpatialTemporalEnsemble', is_temporal_ensemble=True)).eval()
    with torch.no_grad(), pytest.raises(ValueError, match='reversing time moves it'):
        edvr.forward_tensor(torch.rand(1, 5, 3, 16, 16))
