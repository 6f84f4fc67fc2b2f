"""bf16 mixed precision on the CPU: --amp without a GPU."""
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper

from mmagic.registry import MODELS, OPTIM_WRAPPERS
from fst_plugin.engine import AutocastOptimWrapper, enable_amp


def tiny_model():
    return MODELS.build(dict(
        type='VideoDeblurrer',
        generator=dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),
                       num_dense_layers=1, num_decoder_blocks=(1, 1, 1)),
        pixel_loss=dict(type='MSELoss'),
        data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                               std=[255., 255., 255.])))


def batch():
    from mmagic.structures import DataSample
    g = torch.Generator().manual_seed(0)
    samples = [DataSample(gt_img=torch.randint(0, 256, (3, 16, 16), generator=g).float())
               for _ in range(2)]
    return dict(inputs=[torch.randint(0, 256, (5, 3, 16, 16), generator=g).float()
                        for _ in range(2)], data_samples=samples)


def test_convolutions_run_in_bf16_and_weights_stay_fp32():
    torch.manual_seed(0)
    model = tiny_model()
    wrapper = OPTIM_WRAPPERS.build(dict(
        type='AutocastOptimWrapper', optimizer=torch.optim.Adam(model.parameters(), lr=1e-3)))
    dtypes = []
    conv = model.generator.conv_last
    handle = conv.register_forward_hook(lambda m, i, o: dtypes.append(o.dtype))
    before = conv.weight.detach().clone()
    log_vars = model.train_step(batch(), wrapper)
    handle.remove()
    assert dtypes == [torch.bfloat16]
    assert conv.weight.dtype == torch.float32 and not torch.equal(before, conv.weight)
    assert all(p.grad is None or p.grad.dtype == torch.float32 for p in model.parameters())
    # the same step in float32 gives nearly the same loss (bf16 keeps ~3 significant digits)
    torch.manual_seed(0)
    fp32 = tiny_model()
    loss32 = fp32.train_step(batch(), OptimWrapper(torch.optim.Adam(fp32.parameters())))
    assert float(log_vars['loss']) == pytest.approx(float(loss32['loss']), rel=0.05)


def test_enable_amp_picks_the_wrapper_for_the_device():
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='Adam'))))
    if torch.cuda.is_available():
        enable_amp(cfg)
        assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
        return
    enable_amp(cfg, 'auto')
    assert cfg.optim_wrapper.type == 'AutocastOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16' and cfg.optim_wrapper.device_type == 'cpu'
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='Adam'))))
    with pytest.raises(ValueError, match='--amp fp16 needs a GPU'):
        enable_amp(cfg, 'fp16')
    with pytest.raises(ValueError, match="'bfloat16' or 'float16'"):
        AutocastOptimWrapper(optimizer=torch.optim.SGD([torch.zeros(1)], lr=1), dtype='int8')
