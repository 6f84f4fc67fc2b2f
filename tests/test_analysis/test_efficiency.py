import pytest
import torch
from torch import nn

from mmagic.registry import MODELS
from fst_plugin.analysis import count_macs, measure_network, peak_memory_mb
from fst_plugin.analysis.efficiency import per_frame_call
from fst_plugin.models.editors.edvr_deblur import PortableModulatedDCNPack, make_dcn_portable
from mmagic.models.editors.edvr.edvr_net import ModulatedDCNPack


def test_conv_and_elementwise_macs_are_counted_exactly():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)

        def forward(self, x):
            y = self.conv(x)
            return y * y  # 1 MAC per output element

    macs = count_macs(Net(), (torch.rand(1, 3, 10, 12), ))
    assert macs == 8 * 10 * 12 * (3 * 9) + 8 * 10 * 12


def test_deformable_conv_counted_like_a_conv():
    pack = make_dcn_portable(ModulatedDCNPack(8, 8, 3, padding=1, deform_groups=2))
    assert isinstance(pack, PortableModulatedDCNPack)
    x = torch.rand(1, 8, 6, 7)
    macs = count_macs(pack, (x, x))
    offset_conv = (2 * 3 * 9) * 6 * 7 * (8 * 9)  # conv_offset: 54 channels
    deform = 8 * 6 * 7 * (8 * 9)
    sigmoid_free = macs - offset_conv - deform
    assert 0 <= sigmoid_free < 8 * 6 * 7  # only the mask multiplications may add a little


def test_fst_streaming_mode_costs_less_than_a_full_window():
    net = MODELS.build(dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),
                            num_dense_layers=1, num_decoder_blocks=(1, 1, 1))).eval()
    full = measure_network(net, 5, (32, 32), repeats=1)
    cached = measure_network(net, 5, (32, 32), repeats=1, encoder_cache=True)
    assert cached['macs'] < full['macs']
    # one cold run (the 720p setting of tools/analysis_tools/benchmark.py) still reports all four
    cold = measure_network(net, 5, (32, 32), repeats=1, macs=False, warmup=False)
    assert cold['macs'] is None and cold['params'] == full['params']
    assert cold['seconds'] > 0
    if full['peak_mb'] is not None:  # Linux /proc
        assert cold['peak_mb'] is not None and cold['peak_mb'] >= 0
    # the cached module really decodes a T-frame clip: same output as the window
    module, inputs = per_frame_call(net, 5, (32, 32), encoder_cache=True)
    frame, *cached_feats = inputs
    with torch.no_grad():
        clip_feats = [torch.cat([c, f[:, None]], 1) for c, f in zip(cached_feats,
                                                                       net.encode(frame))]
        assert torch.equal(module(*inputs), net.decode(clip_feats, 2))
    with pytest.raises(ValueError, match='no encode/decode'):
        per_frame_call(MODELS.build(dict(type='STFANNet', channels=(4, 8, 8))), 5, (16, 16),
                       encoder_cache=True)


def test_peak_memory_sees_a_large_allocation():
    mib = peak_memory_mb(lambda: torch.ones(64, 2**20 // 4 * 4).sum())  # 256 MiB tensor
    if mib is None:
        pytest.skip('peak memory cannot be measured here (no Linux /proc)')
    assert 200 < mib < 600
