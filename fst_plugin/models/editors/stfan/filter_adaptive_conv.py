"""Filter adaptive convolution (FAC): a different k x k filter per pixel and channel."""
import torch.nn.functional as F
from torch import Tensor


def filter_adaptive_conv(feat: Tensor, filters: Tensor, kernel_size: int) -> Tensor:
    """Apply per-pixel, per-channel filters (STFAN's FAC layer, pure PyTorch).

    ``out[n, c, y, x] = sum_{ky, kx} filters[n, c k^2 + ky k + kx, y, x] *
    feat_pad[n, c, y + ky, x + kx]`` where ``feat_pad`` is ``feat`` replicate-padded by
    ``k // 2`` on every side, the layout of the official CUDA ``KernelConv2D``. Runs on
    any device through ``F.unfold``; memory is ``k^2`` times the feature map.

    Args:
        feat (Tensor): Features, (n, c, h, w).
        filters (Tensor): Filters, (n, c * k * k, h, w).
        kernel_size (int): k, odd.

    Returns:
        Tensor: Filtered features, (n, c, h, w).
    """
    n, c, h, w = feat.shape
    k = kernel_size
    if k % 2 == 0:
        raise ValueError(f'kernel_size must be odd, got {k}')
    if filters.shape != (n, c * k * k, h, w):
        raise ValueError(f'filters must be (n, c*k*k, h, w) = {(n, c * k * k, h, w)} for '
                         f'features {tuple(feat.shape)} and k={k}, got {tuple(filters.shape)}')
    pad = k // 2
    patches = F.unfold(F.pad(feat, (pad, pad, pad, pad), mode='replicate'), k)
    patches = patches.view(n, c, k * k, h, w)  # unfold orders taps as c, ky, kx
    return (patches * filters.view(n, c, k * k, h, w)).sum(dim=2)
