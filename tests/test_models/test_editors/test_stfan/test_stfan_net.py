import pytest
import torch

from mmagic.registry import MODELS
from fst_plugin.models.editors.stfan import STFANNet


def test_reference_configuration_has_5_37m_parameters():
    net = MODELS.build(dict(type='STFANNet'))
    assert sum(p.numel() for p in net.parameters()) == pytest.approx(5.37e6, rel=0.01)


def test_forward_runs_the_recurrence_step_by_step():
    torch.manual_seed(0)
    net = STFANNet(channels=(4, 8, 8)).eval()
    x = torch.rand(2, 4, 3, 12, 16)
    with torch.no_grad():
        out = net(x)
        assert out.shape == x.shape
        # the same recurrence by hand: first step sees the frame itself as "previous"
        prev_b, prev_r, feat = x[:, 0], x[:, 0], None
        for i in range(4):
            o, feat = net.step(x[:, i], prev_b, prev_r, feat)
            torch.testing.assert_close(out[:, i], o)
            prev_b, prev_r = x[:, i], o.clamp(0, 1)
    # the output of frame i depends on earlier frames only
    x2 = x.clone()
    x2[:, 3] = 0
    with torch.no_grad():
        out2 = net(x2)
    torch.testing.assert_close(out2[:, :3], out[:, :3])
    assert not torch.allclose(out2[:, 3], out[:, 3])


def test_any_size_and_detached_state_blocks_gradient_through_time():
    net = STFANNet(channels=(4, 8, 8))
    x = torch.rand(1, 3, 3, 13, 10, requires_grad=True)
    net(x, detach_state=True)[:, 2].sum().backward()
    assert x.grad.shape == x.shape
    # frame 1 reaches step 2 only as "previous blurry" input; frame 0 only through state
    assert x.grad[:, 1].abs().sum() > 0
    assert x.grad[:, 0].abs().sum() == 0
    x.grad = None
    net(x)[:, 2].sum().backward()
    assert x.grad[:, 0].abs().sum() > 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    net = STFANNet(channels=(4, 8, 8)).eval()
    x = torch.rand(1, 3, 3, 16, 16)
    with torch.no_grad():
        torch.testing.assert_close(net.cuda()(x.cuda()).cpu(), net.cpu()(x), atol=1e-4,
                                   rtol=1e-4)


def test_full_res_skip_starts_as_the_original_network_and_learns_a_full_res_path():
    torch.manual_seed(0)
    plain = STFANNet(channels=(4, 8, 8))
    skip = STFANNet(channels=(4, 8, 8), full_res_skip=True)
    # the original's weights load unchanged: only the skip conv is new
    missing, unexpected = skip.load_state_dict(plain.state_dict(), strict=False)
    assert sorted(missing) == ['skip_out.bias', 'skip_out.weight'] and not unexpected
    assert 'skip_out.weight' not in plain.state_dict()
    x = torch.rand(1, 3, 3, 12, 16)
    with torch.no_grad():
        torch.testing.assert_close(skip(x), plain(x))  # zero-initialised: same output
    # the skip conv gets a gradient, and once it is non-zero the output differs by exactly
    # its response to the encoder's full-resolution features (the skip adds, nothing else)
    skip(x)[:, 0].sum().backward()
    assert skip.skip_out.weight.grad.abs().sum() > 0
    with torch.no_grad():
        skip.skip_out.bias.fill_(0.25)
        torch.testing.assert_close(skip.step(x[:, 0], x[:, 0], x[:, 0], None)[0],
                                   plain.step(x[:, 0], x[:, 0], x[:, 0], None)[0] + 0.25)
