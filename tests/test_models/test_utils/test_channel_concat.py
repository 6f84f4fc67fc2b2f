import pytest
import torch

from fst_plugin.models.utils import cat_channels


def _maps(channels, dtype, channels_last=True, h=5, w=7):
    torch.manual_seed(0)
    maps = [torch.randn(2, c, h, w).to(dtype) for c in channels]
    if channels_last:
        maps = [m.contiguous(memory_format=torch.channels_last) for m in maps]
    return maps


@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float16, torch.float32])
@pytest.mark.parametrize('channels', [(8, 4, 4), (6, 4)])
@pytest.mark.parametrize('channels_last', [True, False])
def test_equals_torch_cat_bit_for_bit(dtype, channels, channels_last):
    maps = _maps(channels, dtype, channels_last)
    with torch.no_grad():
        out = cat_channels(maps)
    assert torch.equal(out, torch.cat(maps, dim=1)) and out.dtype == dtype
    if channels_last:
        assert out.is_contiguous(memory_format=torch.channels_last)


def test_size_one_maps_and_autograd_fall_back_to_torch_cat():
    with torch.no_grad():
        maps = _maps((4, 8), torch.bfloat16, h=1, w=1)
        assert torch.equal(cat_channels(maps), torch.cat(maps, dim=1))
    maps = [m.float().requires_grad_() for m in _maps((4, 8), torch.bfloat16)]
    cat_channels(maps).sum().backward()  # recorded by autograd: the plain torch.cat
    assert all(torch.equal(m.grad, torch.ones_like(m)) for m in maps)
