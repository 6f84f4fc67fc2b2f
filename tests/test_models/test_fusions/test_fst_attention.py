import pytest
import torch

from fst_plugin.models.fusions import FactorizedSpatioTemporalAttention


def naive_fsta(module, x, ref_idx):
    """Equations 1-6 written with explicit loops over b, t, m, n, c and pixels (float64)."""
    b, t, c, h, w = x.shape
    m_maps, n_maps = module.num_spatial_maps, module.num_temporal_maps
    y = torch.zeros(b, c, h, w, dtype=x.dtype)
    for bi in range(b):
        # eq. 1: spatial maps, softmax over HW, per frame and per map
        logits = torch.stack([module.spatial_conv(x[bi, ti][None])[0] for ti in range(t)])
        a_s = torch.zeros(t, m_maps, h * w, dtype=x.dtype)
        for ti in range(t):
            for m in range(m_maps):
                e = torch.exp(logits[ti, m].flatten() - logits[ti, m].max())
                a_s[ti, m] = e / e.sum()
        # eq. 2: G_s[m][t, c] = sum_p A_s[t, m, p] * x[t, c, p]
        g_s = torch.zeros(m_maps, t, c, dtype=x.dtype)
        for m in range(m_maps):
            for ti in range(t):
                for ci in range(c):
                    g_s[m, ti, ci] = sum(a_s[ti, m, p] * x[bi, ti, ci].flatten()[p]
                                         for p in range(h * w))
        # eq. 3: temporal maps from the spatially pooled clip, softmax over T
        pooled = torch.stack([x[bi, ti].mean(dim=(1, 2)) for ti in range(t)], dim=1)  # (c, t)
        t_logits = module.temporal_conv(pooled[None])[0]  # (N, t)
        a_t = torch.stack([torch.exp(r - r.max()) / torch.exp(r - r.max()).sum() for r in t_logits])
        # eq. 4: G_st[m, n, c] = sum_t G_s[m, t, c] A_t[n, t]
        g_st = torch.zeros(m_maps * n_maps, c, dtype=x.dtype)
        for m in range(m_maps):
            for n in range(n_maps):
                for ci in range(c):
                    g_st[m * n_maps + n, ci] = sum(g_s[m, ti, ci] * a_t[n, ti] for ti in range(t))
        # eq. 5: pixel-wise softmax over the M*N descriptors of f_p(x^R)
        p_logits = module.pixel_conv(x[bi, ref_idx][None])[0]  # (MN, h, w)
        for i in range(h):
            for j in range(w):
                e = torch.exp(p_logits[:, i, j] - p_logits[:, i, j].max())
                a_p = e / e.sum()
                # eq. 6: y[c, p] = sum_k G_st[k, c] A_p[k, p]
                for ci in range(c):
                    y[bi, ci, i, j] = sum(g_st[k, ci] * a_p[k] for k in range(m_maps * n_maps))
    return y


@pytest.mark.parametrize('shape,m,n,ks,ref_idx', [
    ((2, 3, 4, 5, 6), 2, 3, (3, 3, 3), 1),
    ((1, 5, 3, 4, 3), 3, 2, (1, 5, 3), 0),
])
def test_matches_loop_reference(shape, m, n, ks, ref_idx):
    torch.manual_seed(0)
    module = FactorizedSpatioTemporalAttention(
        shape[2], num_spatial_maps=m, num_temporal_maps=n, spatial_kernel_size=ks[0],
        temporal_kernel_size=ks[1], pixel_kernel_size=ks[2]).double()
    x = torch.randn(*shape, dtype=torch.float64)
    with torch.no_grad():
        y, maps = module.attention(x, ref_idx)
        expected = naive_fsta(module, x, ref_idx)
    torch.testing.assert_close(y, expected, rtol=0, atol=1e-5)
    b, t, c, h, w = shape
    assert maps['spatial'].shape == (b, t, m, h, w)
    assert maps['temporal'].shape == (b, n, t)
    assert maps['pixel'].shape == (b, m * n, h, w)
    # each softmax sums to one along its own axis
    torch.testing.assert_close(maps['spatial'].sum(dim=(3, 4)), torch.ones(b, t, m).double())
    torch.testing.assert_close(maps['temporal'].sum(dim=2), torch.ones(b, n).double())
    torch.testing.assert_close(maps['pixel'].sum(dim=1), torch.ones(b, h, w).double())


def test_forward_shape_any_t_and_grad():
    module = FactorizedSpatioTemporalAttention(8)
    for t in (1, 3, 7):
        x = torch.randn(2, t, 8, 9, 7, requires_grad=True)
        out = module(x, t // 2)
        assert out.shape == (2, 8, 9, 7)
        out.sum().backward()
        assert x.grad.abs().sum() > 0


def test_every_frame_influences_the_output():
    """Non-local: changing a far-away pixel of a neighbouring frame changes the output."""
    torch.manual_seed(0)
    module = FactorizedSpatioTemporalAttention(4).double()
    x = torch.randn(1, 3, 4, 8, 8, dtype=torch.float64)
    x2 = x.clone()
    x2[0, 0, :, 7, 7] += 5.0
    with torch.no_grad():
        diff = (module(x, 1) - module(x2, 1))[0, :, 0, 0].abs().max()
    assert diff > 1e-6


def test_errors():
    module = FactorizedSpatioTemporalAttention(8)
    with pytest.raises(ValueError, match=r'\(b, t, 8, h, w\)'):
        module(torch.randn(1, 3, 4, 5, 5), 1)
    with pytest.raises(IndexError, match='ref_idx 3'):
        module(torch.randn(1, 3, 8, 5, 5), 3)
    with pytest.raises(ValueError, match='spatial_kernel_size'):
        FactorizedSpatioTemporalAttention(8, spatial_kernel_size=2)
    with pytest.raises(ValueError, match='num_spatial_maps'):
        FactorizedSpatioTemporalAttention(8, num_spatial_maps=0)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    torch.manual_seed(0)
    module = FactorizedSpatioTemporalAttention(8)
    x = torch.randn(2, 5, 8, 16, 16)
    expected = module(x, 2)
    torch.testing.assert_close(module.cuda()(x.cuda(), 2).cpu(), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('channels_last', [False, True])
def test_forward_equals_merge_of_concatenation(channels_last):
    """forward() folds the 1x1 merge into the descriptors; it must equal the paper's
    ``x^R + conv1x1(concat(x^R, y^R))`` with y^R from the loop-checked attention()."""
    torch.manual_seed(1)
    module = FactorizedSpatioTemporalAttention(6).double()
    torch.nn.init.normal_(module.merge.weight)
    torch.nn.init.normal_(module.merge.bias)
    x = torch.randn(2, 3, 6, 5, 7, dtype=torch.float64)
    if channels_last:
        x = x.flatten(0, 1).contiguous(memory_format=torch.channels_last).reshape(x.shape)
    y, _ = module.attention(x, 2)
    ref = x[:, 2]
    expected = ref + module.merge(torch.cat([ref, y], dim=1))
    out = module(x, 2)
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-10)
    # gradients of the merge weights equal those through the concatenation
    grads = torch.autograd.grad(out.square().sum(), module.merge.weight)[0]
    expected_grads = torch.autograd.grad(expected.square().sum(), module.merge.weight)[0]
    torch.testing.assert_close(grads, expected_grads, rtol=1e-9, atol=1e-9)
