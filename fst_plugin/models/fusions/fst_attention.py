"""Factorized spatio-temporal attention (FSTA), equations 1-6 of the FST paper."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
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

    def frame_terms(self, frames: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """The terms of equations 1-3 that depend on one frame alone.

        A frame's spatial maps, its squeezed features and its spatial mean do not depend
        on the other frames of the clip, so a caller that slides a window over a video
        (``tools/deblur_video.py``'s encoder cache) computes them once per frame and
        passes them to :meth:`forward` as ``frame_terms``.

        Args:
            frames (Tensor): Features of n frames, (n, c, h, w).

        Returns:
            tuple: ``G_s`` (n, M, c) (eq. 2), the spatially pooled features ``x'``
            (n, c) (eq. 3's input) and the spatial maps ``A_s`` (n, M, h, w) (eq. 1).
        """
        n, c, h, w = frames.shape
        m = self.num_spatial_maps
        # eq. 1: A_s = softmax over HW of f_s(x), M maps per frame
        spatial = self.spatial_conv(frames).reshape(n, m, h * w).softmax(dim=-1)
        # eq. 2: G_s[n, m, c] = sum_hw A_s[n, m, hw] x[n, c, hw]
        g_s = torch.matmul(spatial, frames.reshape(n, c, h * w).transpose(1, 2))
        # eq. 3's input, x' = the spatial mean (a sum and a division: ``mean`` of a bf16
        # tensor on a CPU first copies it to fp32, 4x the time of the reduction at 720p)
        pooled = frames.sum(dim=(2, 3)) / (h * w)
        return g_s, pooled, spatial.reshape(n, m, h, w)

    def descriptors(self, feats: Tensor, ref_idx: int,
                    frame_terms: Optional[Tuple[Tensor, Tensor]] = None) -> Dict[str, Tensor]:
        """Equations 1-5: the M*N global descriptors and the attention maps.

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.
            frame_terms (tuple[Tensor], optional): ``G_s`` (b, t, M, c) and ``x'`` (b, t, c)
                of the clip's frames from :meth:`frame_terms`, computed earlier; the
                spatial maps are then not returned. Default: None (computed here).

        Returns:
            dict: ``descriptors`` G_st (b, M*N, c); ``spatial`` (b, t, M, h, w) summing
            to one over (h, w) (None with ``frame_terms``), ``temporal`` (b, N, t) summing
            to one over t and ``pixel`` (b, M*N, h, w) summing to one over M*N
            (descriptor index ``m * N + n``).
        """
        b, t, c, h, w = feats.shape
        m, n = self.num_spatial_maps, self.num_temporal_maps
        if frame_terms is None:
            g_s, pooled, spatial = self.frame_terms(feats.reshape(b * t, c, h, w))
            g_s, pooled = g_s.reshape(b, t, m, c), pooled.reshape(b, t, c)
            spatial = spatial.reshape(b, t, m, h, w)
        else:
            (g_s, pooled), spatial = frame_terms, None
        # eq. 3: A_t = softmax over T of f_t(x'), x' = spatially pooled clip (b, c, t)
        temporal = self.temporal_conv(pooled.transpose(1, 2)).softmax(dim=-1)  # (b, N, t)
        # eq. 4: G_st[b, m, n, c] = sum_t G_s[b, t, m, c] A_t[b, n, t]
        g_st = torch.einsum('btmc,bnt->bmnc', g_s, temporal).reshape(b, m * n, c)
        # eq. 5: A_p = softmax over the M*N descriptors of f_p(x^R)
        pixel = self.pixel_conv(feats[:, ref_idx]).softmax(dim=1)  # (b, M*N, h, w)
        return dict(descriptors=g_st, spatial=spatial, temporal=temporal, pixel=pixel)

    @staticmethod
    def distribute(descriptors: Tensor, pixel: Tensor) -> Tensor:
        """Equation 6: ``y[b, :, p] = sum_k A_p[b, k, p] G_st[b, k, :]``.

        Args:
            descriptors (Tensor): (b, M*N, c') descriptors.
            pixel (Tensor): (b, M*N, h, w) pixel-wise attention.

        Returns:
            Tensor: (b, c', h, w), laid out channels-last (pixels outer, the layout of
            the product ``A_p^T G_st``).
        """
        b, k, h, w = pixel.shape
        y = torch.bmm(pixel.reshape(b, k, h * w).transpose(1, 2), descriptors)  # (b, hw, c')
        return y.reshape(b, h, w, -1).permute(0, 3, 1, 2)

    def attention(self, feats: Tensor, ref_idx: int) -> Tuple[Tensor, Dict[str, Tensor]]:
        """Equations 1-6.

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.

        Returns:
            tuple: ``y`` of shape (b, c, h, w) and a dict of the attention maps
            ``spatial``, ``temporal`` and ``pixel`` (see :meth:`descriptors`).
        """
        out = self.descriptors(feats, ref_idx)
        maps = {key: out[key] for key in ('spatial', 'temporal', 'pixel')}
        return self.distribute(out['descriptors'], out['pixel']), maps

    def forward(self, feats: Tensor, ref_idx: int,
                frame_terms: Optional[Tuple[Tensor, Tensor]] = None) -> Tensor:
        """Fuse the clip into its reference frame.

        ``x^R + conv1x1(concat(x^R, y^R))`` is computed without the concatenation: the
        1x1 conv splits into ``W_ref x^R + W_y y^R + bias``, and since y^R is a per-pixel
        mix of the descriptors, ``W_y y^R`` equals the same mix of ``W_y G_st`` (W_y
        applied to M*N descriptors instead of h*w pixels). Same output within float
        rounding; at 256x256 on 2 CPU cores the finest fusion took ~37 instead of ~54
        ms (the concatenation and its layout copy were a third of it).

        Args:
            feats (Tensor): Features of the clip, (b, t, c, h, w).
            ref_idx (int): Index of the reference frame in ``t``.
            frame_terms (tuple[Tensor], optional): The clip's per-frame terms, see
                :meth:`descriptors`. Default: None.

        Returns:
            Tensor: Fused reference features, (b, c, h, w).
        """
        check_clip(self, feats, ref_idx, self.channels)
        ref = feats[:, ref_idx]
        out = self.descriptors(feats, ref_idx, frame_terms)
        weight = self.merge.weight.flatten(1)  # (c, 2c): [W_ref | W_y]
        w_ref, w_y = weight[:, :self.channels], weight[:, self.channels:]
        y_merged = self.distribute(out['descriptors'] @ w_y.t(), out['pixel'])
        return ref + F.conv2d(ref, w_ref[..., None, None], self.merge.bias) + y_merged
