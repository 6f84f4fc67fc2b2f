"""Spatio-temporal non-local block (embedded Gaussian) used as a fusion baseline."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from .clip_check import check_clip


@MODELS.register_module()
class SpatioTemporalNonLocalFusion(BaseModule):
    """Embedded-Gaussian non-local block across space and time.

    Every pixel attends to all T*H*W positions of the clip:
    ``y_i = sum_j softmax_j(theta(x_i) . phi(x_j)) g(x_j)``, ``z = x + W_z(y)``, and
    the fused output is the reference frame of ``z``.

    With ``queries='reference'`` (default) only the reference frame's H*W pixels are
    queries: the attention matrix has (H*W) x (T*H*W) entries. With ``queries='all'``
    the block is Wang et al.'s as the FST paper describes it: all T*H*W positions are
    queries, a (T*H*W) x (T*H*W) matrix, and every frame of ``z`` is computed before the
    reference frame is taken. The reference output is the same either way (a query
    row depends only on its own pixel); ``'all'`` exists to measure the full block's
    memory. Both grow quadratically in the spatial size; this is the swappable
    alternative the FST paper compares with.

    Paper: Non-local Neural Networks (Wang et al., CVPR 2018).

    Args:
        channels (int): Feature channels C.
        inter_channels (int, optional): Embedding channels of theta/phi/g.
            Default: ``channels // 2``.
        queries (str): ``'reference'`` (the reference frame's pixels attend) or
            ``'all'`` (every position attends, the full block). Default: 'reference'.
        memory_efficient (bool): With ``queries='reference'``, compute the same attention
            with PyTorch's fused ``scaled_dot_product_attention`` (unscaled, as here), whose
            kernels never hold the (H*W) x (T*H*W) matrix: the time is still quadratic, the
            memory linear, so a model trained on small crops can be tested on whole frames.
            Off by default so that the block keeps the memory the FST paper compares
            with. Default: False.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 inter_channels: int = None,
                 queries: str = 'reference',
                 memory_efficient: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if queries not in ('reference', 'all'):
            raise ValueError(f"queries must be 'reference' or 'all', got {queries!r}")
        if memory_efficient and queries != 'reference':
            raise ValueError("memory_efficient=True needs queries='reference'")
        self.queries = queries
        self.memory_efficient = memory_efficient
        self.channels = channels
        self.inter_channels = inter_channels or max(channels // 2, 1)
        self.theta = nn.Conv2d(channels, self.inter_channels, 1)
        self.phi = nn.Conv2d(channels, self.inter_channels, 1)
        self.g = nn.Conv2d(channels, self.inter_channels, 1)
        self.out = nn.Conv2d(self.inter_channels, channels, 1)
        # Wang et al. initialise the output transform to zero: the block starts as identity.
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, feats: Tensor, ref_idx: int) -> Tensor:
        """Fuse the clip into its reference frame.

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.

        Returns:
            Tensor: Fused reference features, (b, c, h, w).
        """
        check_clip(self, feats, ref_idx, self.channels)
        b, t, c, h, w = feats.shape
        ci = self.inter_channels
        ref = feats[:, ref_idx]
        frames = feats.reshape(b * t, c, h, w)
        key = self.phi(frames).reshape(b, t, ci, h * w)
        key = key.permute(0, 1, 3, 2).reshape(b, t * h * w, ci)
        value = self.g(frames).reshape(b, t, ci, h * w)
        value = value.permute(0, 1, 3, 2).reshape(b, t * h * w, ci)
        if self.queries == 'reference':
            query = self.theta(ref).reshape(b, ci, h * w).transpose(1, 2)
            if self.memory_efficient:
                # contiguous (b, 1, n, ci) operands, or PyTorch falls back to its math
                # kernel, which builds the whole matrix
                y = F.scaled_dot_product_attention(query[:, None].contiguous(), key[:, None],
                                                   value[:, None], scale=1.0)[:, 0]
                return ref + self.out(y.transpose(1, 2).reshape(b, ci, h, w))
            affinity = torch.bmm(query, key.transpose(1, 2)).softmax(dim=-1)  # (b, hw, thw)
            y = torch.bmm(affinity, value).transpose(1, 2).reshape(b, ci, h, w)
            return ref + self.out(y)
        query = self.theta(frames).reshape(b, t, ci, h * w)
        query = query.permute(0, 1, 3, 2).reshape(b, t * h * w, ci)
        affinity = torch.bmm(query, key.transpose(1, 2)).softmax(dim=-1)  # (b, thw, thw)
        y = torch.bmm(affinity, value).reshape(b, t, h * w, ci).permute(0, 1, 3, 2)
        z = feats + self.out(y.reshape(b * t, ci, h, w)).reshape(b, t, c, h, w)
        return z[:, ref_idx]
