"""Factorized spatio-temporal attention (FSTA), equations 1-6 of the FST paper."""
from typing import Dict, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from .clip_check import check_clip


@MODELS.register_module()
class FactorizedSpatioTemporalAttention(BaseModule):
    """Factorized spatio-temporal attention that fuses T frames into a reference frame.

    Every pixel of the reference frame gathers information from all pixels of all T
    frames without alignment, at a cost linear in T*H*W:

    1. ``A_s = softmax_HW(f_s(x))``: ``M`` spatial maps per frame (eq. 1).
    2. ``G_s^m = S_HW(A_s^m * x)``: each frame squeezed by each map, (T, M, C) (eq. 2).
    3. ``A_t = softmax_T(f_t(x'))``: ``N`` temporal maps from the spatially pooled
       clip ``x'`` with a 1-D convolution over T (eq. 3).
    4. ``G_st = G_s A_t^Tr``: ``M*N`` global descriptors of C channels (eq. 4).
    5. ``A_p = softmax_MN(f_p(x^R))``: a pixel-wise choice among the M*N descriptors
       computed from the reference frame (eq. 5).
    6. ``y^R = G_st A_p``: the descriptors distributed to every pixel (eq. 6).

    The attention output ``y^R`` is merged with the reference features as a residual:
    ``x^R + conv1x1(concat(x^R, y^R))``.

    Paper: Dynamic Scene Video Deblurring using Non-Local Attention (Suin and
    Rajagopalan; refined version at CVPR 2021).

    Args:
        channels (int): Feature channels C.
        num_spatial_maps (int): M, spatial attention maps per frame. Default: 4.
        num_temporal_maps (int): N, temporal attention maps. Default: 4.
        spatial_kernel_size (int): Kernel of the 2-D conv ``f_s``. Default: 3.
        temporal_kernel_size (int): Kernel of the 1-D conv ``f_t`` over T. Default: 3.
        pixel_kernel_size (int): Kernel of the 2-D conv ``f_p``. Default: 3.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 channels: int,
                 num_spatial_maps: int = 4,
                 num_temporal_maps: int = 4,
                 spatial_kernel_size: int = 3,
                 temporal_kernel_size: int = 3,
                 pixel_kernel_size: int = 3,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        for name, k in dict(
                spatial_kernel_size=spatial_kernel_size,
                temporal_kernel_size=temporal_kernel_size,
                pixel_kernel_size=pixel_kernel_size).items():
            if k < 1 or k % 2 == 0:
                raise ValueError(f'{name} must be a positive odd integer, got {k}')
        if num_spatial_maps < 1 or num_temporal_maps < 1:
            raise ValueError('num_spatial_maps and num_temporal_maps must be >= 1, got '
                             f'{num_spatial_maps} and {num_temporal_maps}')
        self.channels = channels
        self.num_spatial_maps = num_spatial_maps
        self.num_temporal_maps = num_temporal_maps
        self.spatial_conv = nn.Conv2d(
            channels, num_spatial_maps, spatial_kernel_size, padding=spatial_kernel_size // 2)
        self.temporal_conv = nn.Conv1d(
            channels,
            num_temporal_maps,
            temporal_kernel_size,
            padding=temporal_kernel_size // 2)
        self.pixel_conv = nn.Conv2d(
            channels,
            num_spatial_maps * num_temporal_maps,
            pixel_kernel_size,
            padding=pixel_kernel_size // 2)
        self.merge = nn.Conv2d(2 * channels, channels, 1)

    def attention(self, feats: Tensor, ref_idx: int) -> Tuple[Tensor, Dict[str, Tensor]]:
        """Equations 1-6.

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.

        Returns:
            tuple: ``y`` of shape (b, c, h, w) and a dict of the attention maps:
            ``spatial`` (b, t, M, h, w) summing to one over (h, w), ``temporal``
            (b, N, t) summing to one over t and ``pixel`` (b, M*N, h, w) summing to one
            over M*N (descriptor index ``m * N + n``).
        """
        b, t, c, h, w = feats.shape
        m, n = self.num_spatial_maps, self.num_temporal_maps
        frames = feats.reshape(b * t, c, h, w)
        # eq. 1: A_s = softmax over HW of f_s(x), M maps per frame
        spatial = self.spatial_conv(frames).reshape(b, t, m, h * w).softmax(dim=-1)
        # eq. 2: G_s[b, t, m, c] = sum_hw A_s[b, t, m, hw] x[b, t, c, hw]
        g_s = torch.matmul(spatial, feats.reshape(b, t, c, h * w).transpose(2, 3))
        # eq. 3: A_t = softmax over T of f_t(x'), x' = spatially pooled clip (b, c, t)
        pooled = feats.mean(dim=(3, 4)).transpose(1, 2)
        temporal = self.temporal_conv(pooled).softmax(dim=-1)  # (b, N, t)
        # eq. 4: G_st[b, m, n, c] = sum_t G_s[b, t, m, c] A_t[b, n, t]
        g_st = torch.einsum('btmc,bnt->bmnc', g_s, temporal).reshape(b, m * n, c)
        # eq. 5: A_p = softmax over the M*N descriptors of f_p(x^R)
        pixel = self.pixel_conv(feats[:, ref_idx]).softmax(dim=1)  # (b, M*N, h, w)
        # eq. 6: y^R[b, c, hw] = sum_k G_st[b, k, c] A_p[b, k, hw]
        y = torch.bmm(g_st.transpose(1, 2), pixel.reshape(b, m * n, h * w))
        maps = dict(
            spatial=spatial.reshape(b, t, m, h, w), temporal=temporal, pixel=pixel)
        return y.reshape(b, c, h, w), maps

    def forward(self, feats: Tensor, ref_idx: int) -> Tensor:
        """Fuse the clip into its reference frame.

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.

        Returns:
            Tensor: Fused reference features, (b, c, h, w).
        """
        check_clip(self, feats, ref_idx, self.channels)
        ref = feats[:, ref_idx]
        y, _ = self.attention(feats, ref_idx)
        return ref + self.merge(torch.cat([ref, y], dim=1))

