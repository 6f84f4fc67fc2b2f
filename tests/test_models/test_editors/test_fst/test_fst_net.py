import pytest
import torch

from mmagic.registry import MODELS

TINY = dict(type='FSTNet', mid_channels=(8, 12, 16), growth_channels=(4, 4, 8),
            num_dense_layers=2, num_decoder_blocks=(1, 1, 1))


@pytest.mark.parametrize('h,w', [(16, 16), (17, 13), (5, 30)])
def test_any_size_and_identity_at_init(h, w):
    net = MODELS.build(TINY)
    x = torch.rand(2, 5, 3, h, w)
    out = net(x)
    assert out.shape == (2, 3, h, w)
    # the last conv starts at zero: an untrained network returns the blurry centre frame
    torch.testing.assert_close(out, x[:, 2])


def test_gradient_reaches_all_frames():
    net = MODELS.build(TINY)
    for p in net.conv_last.parameters():
        torch.nn.init.normal_(p, std=0.1)
    x = torch.rand(1, 5, 3, 16, 16, requires_grad=True)
    net(x).square().mean().backward()
    per_frame = x.grad.abs().sum(dim=(0, 2, 3, 4))
    assert (per_frame > 0).all(), per_frame


def test_channels_last_same_outputs_and_gradients():
    """The channels-last layout (default, faster on CPU) changes no number beyond
    float rounding, forward or backward, and keeps the weights' own layout."""
    torch.manual_seed(0)
    fast = MODELS.build(dict(TINY, channels_last=True))
    for p in fast.parameters():  # away from the zero-initialised identity
        torch.nn.init.normal_(p, std=0.1)
    plain = MODELS.build(dict(TINY, channels_last=False))
    plain.load_state_dict(fast.state_dict())
    x = torch.rand(2, 5, 3, 20, 12)
    outs, grads = [], []
    for net in (fast, plain):
        out = net(x)
        out.square().mean().backward()
        outs.append(out)
        grads.append(torch.cat([p.grad.flatten() for p in net.parameters()]))
    assert outs[0].abs().max() > 0.1  # not the identity: the layers really ran
    torch.testing.assert_close(outs[0], outs[1], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(grads[0], grads[1], rtol=1e-4, atol=1e-5)
    assert all(p.is_contiguous() for p in fast.parameters())


@pytest.mark.parametrize('fusion', [
    dict(type='FactorizedSpatioTemporalAttention', num_spatial_maps=2, num_temporal_maps=3),
    dict(type='SpatioTemporalNonLocalFusion'),
    dict(type='ConcatConvFusion'),
])
def test_fusion_is_a_config_entry(fusion):
    net = MODELS.build(dict(TINY, fusion=fusion, num_frames=3))
    assert all(type(f).__name__ == fusion['type'] for f in net.fusions)
    assert [f.channels for f in net.fusions] == [8, 12, 16]
    assert net(torch.rand(1, 3, 3, 12, 12)).shape == (1, 3, 12, 12)


def test_encode_decode_equals_forward():
    """The shared encoder lets callers cache per-frame features (deblur_video uses it)."""
    torch.manual_seed(0)
    net = MODELS.build(TINY)
    torch.nn.init.normal_(net.conv_last.weight, std=0.1)
    x = torch.rand(1, 5, 3, 16, 16)
    per_frame = [net.encode(x[:, i]) for i in range(5)]
    feats = [torch.stack([f[s] for f in per_frame], dim=1) for s in range(3)]
    out = x[:, 2] + net.decode(feats, 2)
    torch.testing.assert_close(out, net(x))


@pytest.mark.parametrize('channels_last', [False, True])
def test_dense_block_by_source_equals_concatenation(channels_last):
    """Inference computes each dense block source by source (no concatenation for the
    3x3 layers); it must equal the concatenating form, which training uses."""
    from fst_plugin.models.editors.fst.fst_net import ResidualDenseBlock
    torch.manual_seed(0)
    block = ResidualDenseBlock(6, 4, 3).double()
    x = torch.randn(2, 6, 7, 5, dtype=torch.float64)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    expected = block.forward_concat(x)
    with torch.no_grad():
        out = block(x)
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-12)
    assert out.is_contiguous(memory_format=torch.channels_last) == channels_last
    # which form runs: the concatenating one exactly when autograd records
    calls = []
    block.forward_by_source = lambda x: calls.append('by source') or x
    block.forward_concat = lambda x: calls.append('concat') or x
    block(x)
    with torch.no_grad():
        block(x)
    with torch.inference_mode():
        block(x)
    assert calls == ['concat', 'by source', 'by source']


def test_encode_lays_out_a_lone_frame_channels_last_whatever_its_batch_stride():
    """A frame made as ``hwc.permute(2, 0, 1)[None]`` has a batch stride of 3: PyTorch reads
    that layout as ambiguous and its convolutions fall back to NCHW, for the whole encoder.
    encode must give channels-last features for it all the same, and the same values."""
    torch.manual_seed(0)
    net = MODELS.build(TINY).eval()
    hwc = torch.rand(16, 24, 3)
    odd = hwc.permute(2, 0, 1)[None]
    assert odd.stride(0) == 3
    with torch.no_grad():
        feats = net.encode(odd)
        expected = net.encode(odd.contiguous())
    for f, e in zip(feats, expected):
        assert f.is_contiguous(memory_format=torch.channels_last) and not f.is_contiguous()
        torch.testing.assert_close(f, e)


def test_encoder_features_get_channels_last_gradients():
    """Gradients reach the encoder's features channels-last (the fusions' select and mean
    send theirs in the default layout), with the same values."""
    torch.manual_seed(0)
    net = MODELS.build(TINY)
    torch.nn.init.normal_(net.conv_last.weight, std=0.1)
    x = torch.rand(2, 5, 3, 16, 16)
    seen = []
    encode = net.encode

    def spy(frames):
        feats = encode(frames)
        for f in feats:
            f.register_hook(lambda g: seen.append(
                g.is_contiguous(memory_format=torch.channels_last) and not g.is_contiguous()))
        return feats
    net.encode = spy
    net(x).square().mean().backward()
    grads = [p.grad.clone() for p in net.parameters()]
    assert seen == [True] * 3
    plain = MODELS.build(dict(TINY, channels_last=False))
    plain.load_state_dict(net.state_dict())
    plain(x).square().mean().backward()
    for g, p in zip(grads, plain.parameters()):
        torch.testing.assert_close(g, p.grad, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize('fusion', ['FactorizedSpatioTemporalAttention',
                                    'FSTAttentionWithLocalPath', 'ConcatConvFusion'])
def test_decode_with_per_frame_terms_computed_once_per_frame(fusion):
    """An encoder cache also keeps each frame's attention terms (frame_terms); decoding
    with them stacked over the window gives the same output as without them."""
    torch.manual_seed(0)
    net = MODELS.build(dict(TINY, fusion=dict(type=fusion))).eval()
    torch.nn.init.normal_(net.conv_last.weight, std=0.1)
    for f in net.fusions:  # away from the zero-initialised local path
        for p in f.parameters():
            torch.nn.init.normal_(p, std=0.2)
    x = torch.rand(1, 5, 3, 16, 16, dtype=torch.float64)
    net = net.double()
    with torch.no_grad():
        per_frame = [net.encode(x[:, i]) for i in range(5)]
        terms = [net.frame_terms(f) for f in per_frame]
        feats = [net.stack_frames([f[s] for f in per_frame]) for s in range(3)]
        stacked = net.stack_frame_terms(terms)
        assert all(s is None or (s[0].shape[1], s[1].shape[1]) == (5, 5) for s in stacked)
        out = net.decode(feats, 2, stacked)
        torch.testing.assert_close(out, net.decode(feats, 2), rtol=0, atol=1e-12)
    assert all((t is None) == (fusion == 'ConcatConvFusion') for t in terms[0])


def test_decode_takes_clips_in_any_layout():
    """Clips stacked from cached features come in the default layout; decode runs them
    channels-last (the layout the network is fastest in) with the same result."""
    torch.manual_seed(0)
    net = MODELS.build(TINY).eval()
    torch.nn.init.normal_(net.conv_last.weight, std=0.1)
    x = torch.rand(1, 5, 3, 16, 16)
    seen = []
    net.decoders[0].register_forward_pre_hook(
        lambda m, args: seen.append(args[0].is_contiguous(memory_format=torch.channels_last)))
    with torch.no_grad():
        per_frame = [net.encode(x[:, i]) for i in range(5)]
        plain = [torch.stack([f[s] for f in per_frame], dim=1).contiguous() for s in range(3)]
        out = x[:, 2] + net.decode(plain, 2)
        torch.testing.assert_close(out, net(x))
    assert seen == [True, True]


def test_errors():
    with pytest.raises(ValueError, match='one entry per scale'):
        MODELS.build(dict(TINY, growth_channels=(4, 4)))
    with pytest.raises(KeyError, match='NoSuchFusion'):
        MODELS.build(dict(TINY, fusion=dict(type='NoSuchFusion')))
    net = MODELS.build(TINY)
    with pytest.raises(ValueError, match=r'\(b, t, 3, h, w\)'):
        net(torch.rand(1, 3, 16, 16))


def test_default_budget_quarter_of_edvr_deblur():
    """Default FSTNet: <= 1/4 of the reference EDVR-deblur's MACs per output frame.

    Counted at 128x128 (both networks are fully convolutional, so the ratio is the one at
    256x256) with the same rules for both (``fst_plugin.analysis.count_macs``)."""
    from fst_plugin.analysis import count_macs
    x = torch.rand(1, 5, 3, 128, 128)
    with torch.no_grad():
        fst = count_macs(MODELS.build(dict(type='FSTNet')).eval(), (x, ))
        edvr = count_macs(MODELS.build(dict(type='EDVRDeblurNet')).eval(), (x, ))
    assert fst <= edvr / 4, (fst / 1e9, edvr / 1e9)
    assert 5e9 < fst  # a real network, not a stub (10.9 G at 128x128)
    params = sum(p.numel() for p in MODELS.build(dict(type='FSTNet')).parameters())
    assert 1e6 < params < 5e6


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    torch.manual_seed(0)
    net = MODELS.build(TINY).eval()
    torch.nn.init.normal_(net.conv_last.weight, std=0.1)
    x = torch.rand(1, 5, 3, 20, 20)
    expected = net(x)
    torch.testing.assert_close(net.cuda()(x.cuda()).cpu(), expected, rtol=1e-3, atol=1e-4)
