import pytest
import torch
from mmengine.optim import OptimWrapper

from mmagic.registry import MODELS
from mmagic.structures import DataSample


def build_model(**kwargs):
    cfg = dict(
        type='RecurrentVideoDeblurrer',
        generator=dict(type='STFANNet', channels=(4, 8, 8)),
        pixel_loss=[dict(type='MSELoss')],
        data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                               std=[255., 255., 255.]))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def make_batch(n=2, t=3, h=16, w=16, all_gt=True):
    inputs = [torch.randint(0, 256, (t, 3, h, w)).float() for _ in range(n)]
    samples = []
    for i in range(n):
        gt_shape = (t, 3, h, w) if all_gt else (3, h, w)
        s = DataSample(gt_img=torch.randint(0, 256, gt_shape).float())
        s.set_metainfo(dict(key=f'seq/{i:06d}', sequence='seq'))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def test_train_step_scores_every_frame_of_the_clip():
    torch.manual_seed(0)
    model = build_model()
    batch = make_batch()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    data = model.data_preprocessor(batch, True)
    with torch.no_grad():
        expected = torch.mean((model.generator(data['inputs']) -
                               data['data_samples'].gt_img)**2)
    log_vars = model.train_step(batch, optim)
    assert float(log_vars['loss_mse'].detach()) == pytest.approx(float(expected), rel=1e-5)


@pytest.mark.parametrize('target_frame, last', [('last', 4), ('centre', 2)])
def test_train_step_with_one_target_frame_scores_the_output_there(target_frame, last):
    torch.manual_seed(0)
    model = build_model(target_frame=target_frame)
    batch = make_batch(t=5, all_gt=False)
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    data = model.data_preprocessor(batch, True)
    with torch.no_grad():
        # the recurrence over the frames up to the target only: later frames are not read
        clip = data['inputs'][:, :last + 1]
        expected = torch.mean((model.generator(clip)[:, -1] -
                               data['data_samples'].gt_img)**2)
        spoilt = data['inputs'].clone()
        spoilt[:, last + 1:] = 0
        assert torch.equal(model(spoilt, data['data_samples'], mode='tensor'),
                           model(data['inputs'], data['data_samples'], mode='tensor'))
    log_vars = model.train_step(batch, optim)
    assert float(log_vars['loss_mse'].detach()) == pytest.approx(float(expected), rel=1e-5)


def test_unknown_target_frame_is_named():
    with pytest.raises(ValueError, match="target_frame must be 'last' or 'centre'"):
        build_model(target_frame='middle')


def test_val_step_restores_the_last_frame():
    model = build_model()
    batch = make_batch(n=1, t=4, h=13, w=11, all_gt=False)
    out = model.val_step(batch)[0]
    assert out.output.pred_img.shape == (3, 13, 11)
    torch.testing.assert_close(out.blurry_img, out.input[-1])
    data = model.data_preprocessor(batch, False)
    with torch.no_grad():
        last = model.generator(data['inputs'])[0, -1].clamp(0, 1) * 255
    torch.testing.assert_close(out.output.pred_img, last, atol=1e-3, rtol=0)


def test_whole_sequence_prediction_is_one_recurrence_over_every_frame():
    """A sample with a sharp frame per input frame (window='sequence') gets every output
    frame of one recurrence from the first frame, equal to the generator run once."""
    model = build_model()
    batch = make_batch(n=1, t=6, h=12, w=12, all_gt=True)
    names = [f'{i:04d}' for i in range(6)]
    batch['data_samples'][0].set_metainfo(dict(
        img_path=[f'/d/s/blur/{n}.png' for n in names],
        gt_path=[f'/d/s/sharp/{n}.png' for n in names], frame=names))
    out = model.val_step(batch)[0]
    assert out.output.pred_img.shape == (6, 3, 12, 12)
    torch.testing.assert_close(out.blurry_img, out.input)
    data = model.data_preprocessor(batch, False)
    with torch.no_grad():
        every = model.generator(data['inputs'])[0].clamp(0, 1) * 255
    torch.testing.assert_close(out.output.pred_img, every, atol=1e-3, rtol=0)
    # sharp frames that do not pair with the blurry frames in order raise
    batch['data_samples'][0].set_metainfo(dict(gt_path=[f'/d/s/sharp/{n}.png'
                                                        for n in names[1:] + names[:1]]))
    with pytest.raises(ValueError, match="frame 0 of sample .* from '0000' but its ground "
                       "truth there is '0001'"):
        model.val_step(batch)


def test_a_centred_window_for_a_recurrent_model_raises():
    model = build_model()
    batch = make_batch(n=1, t=5, all_gt=False)
    batch['data_samples'][0].set_metainfo(dict(
        img_path=[f'/d/s/blur/{i}.png' for i in (3, 4, 5, 6, 7)], gt_path='/d/s/sharp/5.png'))
    with pytest.raises(ValueError, match='window="trailing"'):
        model.val_step(batch)
    # the same clip is right for a model that restores the centre
    out = build_model(target_frame='centre').val_step(batch)
    assert out[0].output.pred_img.shape[-3:] == (3, 16, 16)


def test_temporal_ensemble_runs_the_reversed_sequence_and_restores_time_order():
    from fst_plugin.apis.self_ensemble import DIHEDRAL, from_view, to_view
    model = build_model(ensemble=dict(type='SpatialTemporalEnsemble',
                                      is_temporal_ensemble=True)).eval()
    x = torch.rand(1, 4, 3, 16, 20)
    samples = DataSample(gt_img=torch.rand(1, 4, 3, 16, 20))  # every frame: whole sequence
    net = model.generator
    with torch.no_grad():
        spatial = [sum(from_view(net(to_view(c, v)), v) for v in DIHEDRAL) / 8
                   for c in (x, x.flip(1))]
        want = (spatial[0] + spatial[1].flip(1)) / 2
        got = model.forward_tensor(x, samples)
    assert got.shape == (1, 4, 3, 16, 20)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=0)
