"""EDVR in its video deblurring configuration (full-resolution input, predeblur module)."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import kaiming_init
from torch import Tensor

from mmagic.models.archs import PixelShufflePack, ResidualBlockNoBN
from mmagic.models.editors.edvr.edvr_net import PCDAlignment, TSAFusion
from mmagic.models.utils import make_layer
from mmagic.registry import MODELS
from ...utils import pad_to_multiple
from .portable_dcn import make_dcn_portable


@MODELS.register_module()
class EDVRDeblurNet(BaseModule):
    """EDVR for video deblurring: T blurry frames in, the sharp centre frame out.

    The deblurring variant of EDVR (the official ``EDVR_L_deblur`` configuration, which
    MMagic's x4 super-resolution ``EDVRNet`` does not cover): every full-resolution frame
    goes through a *predeblur* module (conv, two stride-2 convs to 1/4 resolution, a
    three-level residual pyramid) and a 1x1 conv, then residual blocks; the 1/4, 1/8 and
    1/16 feature pyramid is aligned to the centre frame by MMagic's ``PCDAlignment``
    (modulated deformable convolution, run through torchvision's CPU/CUDA kernel, see
    ``portable_dcn.py``), fused by MMagic's ``TSAFusion`` (or a 1x1 conv), reconstructed
    by residual blocks and brought back to full resolution by two x2 pixel shuffles; the
    output is added to the blurry centre frame. Any h, w is accepted (replicate padding to
    a multiple of 16 and crop back).

    Paper: EDVR: Video Restoration with Enhanced Deformable Convolutional Networks
    (Wang et al., CVPR Workshops 2019).

    Args:
        in_channels (int): Image channels. Default: 3.
        out_channels (int): Output channels. Default: 3.
        mid_channels (int): Feature channels. Default: 128.
        num_frames (int): T. Default: 5.
        deform_groups (int): Deformable groups in PCD. Default: 8.
        num_blocks_extraction (int): Residual blocks after the predeblur module.
            Default: 5.
        num_blocks_reconstruction (int): Residual blocks after fusion. Default: 40.
        center_frame_idx (int, optional): Reference frame; None = T // 2. Default: None.
        with_tsa (bool): TSA fusion (else a 1x1 conv over the concatenated frames).
            Default: True.
        full_res_skip (bool): Add a zero-initialised 3x3 conv from the centre frame's
            full-resolution features (the predeblur module's first conv, run once more on
            that frame) to the output. The original has no such path: every output detail
            passes the 1/4-resolution features, where a short schedule can leave the network
            at its input with TSA's temporal gates saturated at 0 (docs/baselines.md). At
            initialisation the output is the original network's. Default: False (EDVR).
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    # inputs are padded to multiples of this (the 1/16 pyramid level); crop outputs back
    scale_factor = 16

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 mid_channels: int = 128,
                 num_frames: int = 5,
                 deform_groups: int = 8,
                 num_blocks_extraction: int = 5,
                 num_blocks_reconstruction: int = 40,
                 center_frame_idx=None,
                 with_tsa: bool = True,
                 full_res_skip: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if mid_channels % deform_groups:
            raise ValueError(f'mid_channels ({mid_channels}) must be divisible by '
                             f'deform_groups ({deform_groups})')
        self.num_frames = num_frames
        self.center_frame_idx = num_frames // 2 if center_frame_idx is None \
            else center_frame_idx
        if not 0 <= self.center_frame_idx < num_frames:
            raise ValueError(f'center_frame_idx {center_frame_idx} outside 0..{num_frames - 1}')
        self.with_tsa = with_tsa
        self.lrelu = nn.LeakyReLU(negative_slope=0.1, inplace=True)

        self.predeblur = PredeblurModule(in_channels, mid_channels)
        self.conv_1x1 = nn.Conv2d(mid_channels, mid_channels, 1)
        self.feature_extraction = make_layer(
            ResidualBlockNoBN, num_blocks_extraction, mid_channels=mid_channels)
        self.conv_l2_1 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.conv_l2_2 = nn.Conv2d(mid_channels, mid_channels, 3, 1, 1)
        self.conv_l3_1 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.conv_l3_2 = nn.Conv2d(mid_channels, mid_channels, 3, 1, 1)
        self.pcd_alignment = make_dcn_portable(
            PCDAlignment(mid_channels=mid_channels, deform_groups=deform_groups))
        if with_tsa:
            self.fusion = TSAFusion(mid_channels=mid_channels, num_frames=num_frames,
                                    center_frame_idx=self.center_frame_idx)
        else:
            self.fusion = nn.Conv2d(num_frames * mid_channels, mid_channels, 1)
        self.reconstruction = make_layer(
            ResidualBlockNoBN, num_blocks_reconstruction, mid_channels=mid_channels)
        self.upsample1 = PixelShufflePack(mid_channels, mid_channels, 2, upsample_kernel=3)
        self.upsample2 = PixelShufflePack(mid_channels, 64, 2, upsample_kernel=3)
        self.conv_hr = nn.Conv2d(64, 64, 3, 1, 1)
        self.conv_last = nn.Conv2d(64, out_channels, 3, 1, 1)
        self.full_res_skip = full_res_skip
        if full_res_skip:
            self.skip_out = nn.Conv2d(mid_channels, out_channels, 3, 1, 1)
            nn.init.zeros_(self.skip_out.weight)
            nn.init.zeros_(self.skip_out.bias)

    def forward(self, x: Tensor) -> Tensor:
        """Args:
            x (Tensor): Blurry clip, (b, t, c, h, w), any h and w.

        Returns:
            Tensor: Deblurred centre frame, (b, c, h, w).
        """
        b, t, c, h, w = x.shape
        if t != self.num_frames:
            raise ValueError(f'EDVRDeblurNet was built for {self.num_frames} frames, got a '
                             f'clip of {t} (input shape {tuple(x.shape)})')
        frames = pad_to_multiple(x.reshape(b * t, c, h, w), self.scale_factor)
        hp, wp = frames.shape[-2:]
        center = frames.view(b, t, c, hp, wp)[:, self.center_frame_idx]

        l1 = self.feature_extraction(self.conv_1x1(self.predeblur(frames)))
        l2 = self.lrelu(self.conv_l2_2(self.lrelu(self.conv_l2_1(l1))))
        l3 = self.lrelu(self.conv_l3_2(self.lrelu(self.conv_l3_1(l2))))
        pyramid = [f.view(b, t, *f.shape[1:]) for f in (l1, l2, l3)]
        ref = [f[:, self.center_frame_idx].clone() for f in pyramid]
        aligned = torch.stack(
            [self.pcd_alignment([f[:, i].clone() for f in pyramid], ref) for i in range(t)],
            dim=1)
        feat = self.fusion(aligned if self.with_tsa else aligned.flatten(1, 2))

        out = self.reconstruction(feat)
        out = self.lrelu(self.upsample1(out))
        out = self.lrelu(self.upsample2(out))
        out = self.conv_last(self.lrelu(self.conv_hr(out)))
        if self.full_res_skip:
            # the first conv once more on the centre frame (0.4 % of the demo net's MACs)
            # rather than keeping all T frames' full-resolution features alive until here
            out = out + self.skip_out(self.lrelu(self.predeblur.conv_first(center)))
        return (out + center)[..., :h, :w]

    def init_weights(self):
        """Default init, MMagic's EDVR init for the TSA attention convs, a zero skip."""
        super().init_weights()
        init_type = None if self.init_cfg is None else self.init_cfg.get('type')
        if init_type != 'Pretrained' and self.full_res_skip:
            nn.init.zeros_(self.skip_out.weight)  # starts as the original network
            nn.init.zeros_(self.skip_out.bias)
        if init_type != 'Pretrained' and self.with_tsa:
            for name in ('feat_fusion', 'spatial_attn1', 'spatial_attn2', 'spatial_attn3',
                         'spatial_attn4', 'spatial_attn_l1', 'spatial_attn_l2',
                         'spatial_attn_l3', 'spatial_attn_add1'):
                kaiming_init(getattr(self.fusion, name).conv, a=0.1, mode='fan_out',
                             nonlinearity='leaky_relu', bias=0, distribution='uniform')


class PredeblurModule(nn.Module):
    """EDVR's predeblur module: full-resolution frames to deblurred 1/4-resolution features.

    conv -> two stride-2 convs (1/4) -> pyramid at 1/8 and 1/16 with residual blocks,
    upsampled and added back -> five residual blocks at 1/4.

    Args:
        in_channels (int): Image channels.
        mid_channels (int): Feature channels.
    """

    def __init__(self, in_channels: int, mid_channels: int):
        super().__init__()
        self.conv_first = nn.Conv2d(in_channels, mid_channels, 3, 1, 1)
        self.stride_conv_hr1 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.stride_conv_hr2 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.stride_conv_l2 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.stride_conv_l3 = nn.Conv2d(mid_channels, mid_channels, 3, 2, 1)
        self.resblock_l3 = ResidualBlockNoBN(mid_channels)
        self.resblock_l2_1 = ResidualBlockNoBN(mid_channels)
        self.resblock_l2_2 = ResidualBlockNoBN(mid_channels)
        self.resblock_l1 = nn.ModuleList(ResidualBlockNoBN(mid_channels) for _ in range(5))
        self.lrelu = nn.LeakyReLU(negative_slope=0.1, inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """Args:
            x (Tensor): Frames, (n, c, h, w) with h, w multiples of 16.

        Returns:
            Tensor: (n, mid_channels, h / 4, w / 4).
        """
        l1 = self.lrelu(self.conv_first(x))
        l1 = self.lrelu(self.stride_conv_hr2(self.lrelu(self.stride_conv_hr1(l1))))
        l2 = self.lrelu(self.stride_conv_l2(l1))
        l3 = self.lrelu(self.stride_conv_l3(l2))
        l3 = _upsample(self.resblock_l3(l3))
        l2 = _upsample(self.resblock_l2_2(self.resblock_l2_1(l2) + l3))
        for block in self.resblock_l1[:2]:
            l1 = block(l1)
        l1 = l1 + l2
        for block in self.resblock_l1[2:]:
            l1 = block(l1)
        return l1


def _upsample(x: Tensor) -> Tensor:
    return F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False)
