import pytest
import torch

from fst_plugin.models.fusions import SpatioTemporalNonLocalFusion


def test_matches_naive_reference():
    torch.manual_seed(0)
    b, t, c, h, w = 2, 3, 4, 3, 5
    module = SpatioTemporalNonLocalFusion(c, inter_channels=3).double()
    torch.nn.init.normal_(module.out.weight)  # zero-initialized otherwise
    x = torch.randn(b, t, c, h, w, dtype=torch.float64)
    ref_idx = 1
    with torch.no_grad():
        out = module(x, ref_idx)
        expected = x[:, ref_idx].clone()
        for bi in range(b):
            q = module.theta(x[bi, ref_idx][None])[0].flatten(1)  # (ci, hw)
            k = torch.cat([module.phi(x[bi, ti][None])[0].flatten(1) for ti in range(t)], 1)
            v = torch.cat([module.g(x[bi, ti][None])[0].flatten(1) for ti in range(t)], 1)
            y = torch.zeros(3, h * w, dtype=torch.float64)
            for p in range(h * w):  # every reference pixel attends to all t*h*w positions
                logits = torch.stack([q[:, p] @ k[:, j] for j in range(t * h * w)])
                weights = torch.softmax(logits, 0)
                y[:, p] = sum(weights[j] * v[:, j] for j in range(t * h * w))
            expected[bi] += module.out(y.reshape(1, 3, h, w))[0]
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-8)


def test_starts_as_identity_and_checks_shape():
    module = SpatioTemporalNonLocalFusion(6)
    x = torch.randn(1, 5, 6, 4, 4)
    torch.testing.assert_close(module(x, 2), x[:, 2])
    with pytest.raises(ValueError, match='expects'):
        module(torch.randn(1, 5, 3, 4, 4), 2)


def test_full_block_gives_the_reference_output_and_checks_queries():
    # Wang et al.'s full block (every position a query) yields the same reference
    # frame as reference-only queries; it differs in cost, not in value.
    torch.manual_seed(0)
    ref_only = SpatioTemporalNonLocalFusion(4, inter_channels=3).double()
    torch.nn.init.normal_(ref_only.out.weight)
    full = SpatioTemporalNonLocalFusion(4, inter_channels=3, queries='all').double()
    full.load_state_dict(ref_only.state_dict())
    x = torch.randn(2, 3, 4, 3, 5, dtype=torch.float64, requires_grad=True)
    out_full = full(x, 2)
    torch.testing.assert_close(out_full, ref_only(x, 2), rtol=0, atol=1e-10)
    out_full.sum().backward()  # the other frames' outputs are computed but unused
    assert torch.isfinite(x.grad).all()
    with pytest.raises(ValueError, match="queries must be 'reference' or 'all'"):
        SpatioTemporalNonLocalFusion(4, queries='ref')


def test_memory_efficient_kernel_gives_the_same_values_and_gradients():
    """memory_efficient=True: the fused attention kernel, equal in value and gradient."""
    torch.manual_seed(0)
    plain = SpatioTemporalNonLocalFusion(4, inter_channels=3).double()
    torch.nn.init.normal_(plain.out.weight)
    fused = SpatioTemporalNonLocalFusion(4, inter_channels=3, memory_efficient=True).double()
    fused.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 4, 6, 5, dtype=torch.float64, requires_grad=True)
    out_plain, out_fused = plain(x, 1), fused(x, 1)
    torch.testing.assert_close(out_fused, out_plain, rtol=0, atol=1e-10)
    grad_plain, = torch.autograd.grad(out_plain.square().sum(), x)
    grad_fused, = torch.autograd.grad(out_fused.square().sum(), x)
    torch.testing.assert_close(grad_fused, grad_plain, rtol=0, atol=1e-10)
    # float32 on a larger map, the case it exists for
    plain.float(), fused.float()
    x = torch.randn(1, 5, 4, 24, 24)
    torch.testing.assert_close(fused(x, 2), plain(x, 2), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="memory_efficient=True needs queries='reference'"):
        SpatioTemporalNonLocalFusion(4, queries='all', memory_efficient=True)
