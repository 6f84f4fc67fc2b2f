import pytest
import torch
from mmcv.ops import modulated_deform_conv2d

from mmagic.models.editors.edvr.edvr_net import ModulatedDCNPack
from mmagic.registry import MODELS
from fst_plugin.models.editors.edvr_deblur import (EDVRDeblurNet, PortableModulatedDCNPack,
                                                   make_dcn_portable)


def tiny_net(**kwargs):
    cfg = dict(mid_channels=16, deform_groups=2, num_blocks_extraction=1,
               num_blocks_reconstruction=1)
    cfg.update(kwargs)
    return EDVRDeblurNet(**cfg)


def test_reference_configuration_has_23_6m_parameters():
    net = MODELS.build(dict(type='EDVRDeblurNet'))  # 128 ch, T=5, 8 groups, 5/40 blocks
    n = sum(p.numel() for p in net.parameters())
    assert n == pytest.approx(23.6e6, rel=0.01)


def test_uses_mmagic_pcd_and_tsa_with_portable_dcn():
    net = tiny_net()
    assert type(net.fusion).__name__ == 'TSAFusion'
    packs = [m for m in net.modules() if isinstance(m, ModulatedDCNPack)]
    assert len(packs) == 4  # one per pyramid level + the cascading one
    assert all(type(m) is PortableModulatedDCNPack for m in packs)


def test_portable_dcn_equals_mmcv_kernel():
    torch.manual_seed(0)
    pack = ModulatedDCNPack(8, 8, 3, padding=1, deform_groups=2)
    torch.nn.init.normal_(pack.conv_offset.weight, std=0.5)  # non-trivial offsets
    x, extra = torch.rand(2, 8, 9, 11), torch.rand(2, 8, 9, 11)
    out = pack.conv_offset(extra)
    o1, o2, mask = torch.chunk(out, 3, dim=1)
    expected = modulated_deform_conv2d(x, torch.cat((o1, o2), 1), torch.sigmoid(mask),
                                       pack.weight, pack.bias, 1, 1, 1, 1, 2)
    make_dcn_portable(pack)
    assert type(pack) is PortableModulatedDCNPack
    torch.testing.assert_close(pack(x, extra), expected, atol=1e-5, rtol=1e-4)


def test_portable_dcn_runs_under_cpu_bf16_autocast():
    """torchvision has no bf16 CPU kernel; under autocast the pack samples in fp32."""
    torch.manual_seed(0)
    pack = make_dcn_portable(ModulatedDCNPack(8, 8, 3, padding=1, deform_groups=2))
    torch.nn.init.normal_(pack.conv_offset.weight, std=0.5)
    x, extra = torch.rand(1, 8, 9, 11), torch.rand(1, 8, 9, 11)
    expected = pack(x, extra)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = pack(x, extra)
    assert out.dtype == torch.float32
    # only the offset conv ran in bf16 (offsets within ~1 % of a pixel)
    torch.testing.assert_close(out, expected, atol=0.05, rtol=0.05)


@pytest.mark.parametrize('size', [(16, 16), (21, 35)])
def test_any_size_and_centre_residual(size):
    net = tiny_net()
    for m in (net.conv_last, ):
        torch.nn.init.zeros_(m.weight)
        torch.nn.init.zeros_(m.bias)
    x = torch.rand(2, 5, 3, *size)
    out = net(x)
    assert out.shape == (2, 3, *size)
    torch.testing.assert_close(out, x[:, 2])  # zero head: output is the centre frame


def test_gradients_reach_every_stage_and_wrong_t_is_refused():
    net = tiny_net(with_tsa=False)
    net(torch.rand(1, 5, 3, 16, 16)).mean().backward()
    for name in ('predeblur.conv_first', 'pcd_alignment.cas_dcnpack', 'fusion', 'conv_last'):
        grad = net.get_submodule(name).weight.grad
        assert grad is not None and grad.abs().sum() > 0, name
    with pytest.raises(ValueError, match='built for 5 frames'):
        net(torch.rand(1, 3, 3, 16, 16))


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    torch.manual_seed(0)
    net = tiny_net().eval()
    x = torch.rand(1, 5, 3, 32, 32)
    with torch.no_grad():
        cpu = net(x)
        gpu = net.cuda()(x.cuda()).cpu()
    torch.testing.assert_close(gpu, cpu, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize('with_tsa', [True, False])
def test_full_res_skip_starts_as_the_original_network_and_adds_a_full_res_path(with_tsa):
    torch.manual_seed(0)
    plain = tiny_net(with_tsa=with_tsa)
    skip = tiny_net(with_tsa=with_tsa, full_res_skip=True)
    skip.init_weights()  # MMEngine's init keeps the skip at zero
    # the original's weights load unchanged: only the skip conv is new
    missing, unexpected = skip.load_state_dict(plain.state_dict(), strict=False)
    assert sorted(missing) == ['skip_out.bias', 'skip_out.weight'] and not unexpected
    assert 'skip_out.weight' not in plain.state_dict()
    x = torch.rand(1, 5, 3, 13, 18)  # padded inside; the skip sees the same padded frame
    with torch.no_grad():
        torch.testing.assert_close(skip(x), plain(x))  # zero-initialised: same output
    skip(x).sum().backward()
    assert skip.skip_out.weight.grad.abs().sum() > 0
    # once non-zero, the output differs by exactly the skip conv's response to the centre
    # frame's full-resolution features (of the frame padded as the network pads it)
    from fst_plugin.models.utils import pad_to_multiple
    with torch.no_grad():
        torch.nn.init.normal_(skip.skip_out.weight, std=0.1)
        feats = skip.lrelu(skip.predeblur.conv_first(pad_to_multiple(x[:, 2], 16)))
        response = torch.nn.functional.conv2d(feats, skip.skip_out.weight, skip.skip_out.bias,
                                              padding=1)
        expected = plain(x) + response[..., :13, :18]
        torch.testing.assert_close(skip(x), expected, atol=1e-5, rtol=1e-4)
