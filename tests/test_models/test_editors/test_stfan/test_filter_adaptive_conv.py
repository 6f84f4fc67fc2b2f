import pytest
import torch

from fst_plugin.models.editors.stfan import filter_adaptive_conv


def naive_fac(feat, filters, k):
    """Per-pixel loop: filter index c*k*k + ky*k + kx, replicate padding."""
    n, c, h, w = feat.shape
    out = torch.zeros_like(feat)
    r = k // 2
    for b in range(n):
        for ch in range(c):
            for y in range(h):
                for x in range(w):
                    acc = 0.0
                    for ky in range(k):
                        for kx in range(k):
                            yy = min(max(y + ky - r, 0), h - 1)
                            xx = min(max(x + kx - r, 0), w - 1)
                            acc += filters[b, ch * k * k + ky * k + kx, y, x] * feat[b, ch, yy, xx]
                    out[b, ch, y, x] = acc
    return out


@pytest.mark.parametrize('k', [1, 3, 5])
def test_matches_naive_loop(k):
    torch.manual_seed(k)
    feat = torch.rand(2, 3, 5, 6, dtype=torch.float64)
    filters = torch.randn(2, 3 * k * k, 5, 6, dtype=torch.float64)
    torch.testing.assert_close(filter_adaptive_conv(feat, filters, k),
                               naive_fac(feat, filters, k), atol=1e-10, rtol=0)


def test_one_hot_filter_shifts_and_replicates_edges():
    feat = torch.arange(20.).view(1, 1, 4, 5)
    k = 3
    filters = torch.zeros(1, k * k, 4, 5)
    filters[:, 0 * k + 1] = 1  # tap (ky=0, kx=1): the pixel above
    out = filter_adaptive_conv(feat, filters, k)
    torch.testing.assert_close(out[0, 0, 1:], feat[0, 0, :-1])
    torch.testing.assert_close(out[0, 0, 0], feat[0, 0, 0])  # replicated top row


def test_bad_filter_shape_is_refused():
    with pytest.raises(ValueError, match=r'filters must be \(n, c\*k\*k, h, w\)'):
        filter_adaptive_conv(torch.rand(1, 2, 4, 4), torch.rand(1, 9, 4, 4), 3)
