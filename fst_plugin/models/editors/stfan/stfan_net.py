"""STFAN: recurrent video deblurring with spatio-temporal filter adaptive networks."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from ...utils import pad_to_multiple
from .filter_adaptive_conv import filter_adaptive_conv


@MODELS.register_module()
class STFANNet(BaseModule):
    """STFAN video deblurring network (recurrent, one frame per step).

    At step i a filter-prediction branch reads concat(blurry_i, blurry_{i-1},
    restored_{i-1}) and predicts, at 1/4 resolution, two sets of per-pixel 5x5 filters
    for every feature channel: *alignment* filters, applied by filter adaptive
    convolution (FAC) to the previous step's features, and *deblurring* filters (predicted
    from the branch features and the alignment filters), applied to the current frame's
    encoder features. The decoder restores frame i from both filtered feature maps and
    adds the blurry frame. The first step uses the frame itself as "previous".
    Pure PyTorch (see ``filter_adaptive_conv``), so CPU and CUDA.

    Paper: Spatio-Temporal Filter Adaptive Network for Video Deblurring (Zhou et al.,
    ICCV 2019).

    Args:
        in_channels (int): Image channels. Default: 3.
        channels (tuple[int]): Feature channels at full, 1/2 and 1/4 resolution.
            Default: (32, 64, 128) (the paper's 5.37M-parameter network).
        filter_size (int): FAC filter size k. Default: 5.
        negative_slope (float): LeakyReLU slope. Default: 0.1.
        full_res_skip (bool): Add a zero-initialised 3x3 conv from the deblurring encoder's
            full-resolution features (after its first stage) to the output. The original has
            no such path: every output detail passes the 1/4-resolution bottleneck, where a
            short schedule can leave the network at its input (docs/baselines.md). At
            initialisation the output is the original network's. Default: False (the
            paper's network).
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    # inputs are padded to multiples of this (two stride-2 stages); crop outputs back
    scale_factor = 4

    def __init__(self,
                 in_channels: int = 3,
                 channels: Tuple[int, int, int] = (32, 64, 128),
                 filter_size: int = 5,
                 negative_slope: float = 0.1,
                 full_res_skip: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        ch1, ch2, ch3 = channels
        k2 = filter_size**2
        self.filter_size = filter_size
        self.in_channels = in_channels

        def conv(cin, cout, kernel=3, stride=1):
            return nn.Sequential(
                nn.Conv2d(cin, cout, kernel, stride, kernel // 2),
                nn.LeakyReLU(negative_slope, inplace=True))

        def encoder(cin):
            return nn.Sequential(
                conv(cin, ch1), ResBlock(ch1, negative_slope), ResBlock(ch1, negative_slope),
                conv(ch1, ch2, stride=2), ResBlock(ch2, negative_slope),
                ResBlock(ch2, negative_slope), conv(ch2, ch3, stride=2),
                ResBlock(ch3, negative_slope), ResBlock(ch3, negative_slope))

        def filter_head(cin):
            return nn.Sequential(
                conv(cin, ch3), ResBlock(ch3, negative_slope), ResBlock(ch3, negative_slope),
                conv(ch3, ch3 * k2, kernel=1))

        # filter prediction branch on (blurry_i, blurry_{i-1}, restored_{i-1})
        self.filter_encoder = encoder(3 * in_channels)
        self.align_filters = filter_head(ch3)
        self.align_filters_embed = conv(ch3 * k2, ch3, kernel=1)
        self.deblur_filters = filter_head(2 * ch3)
        # deblurring branch
        self.encoder = encoder(in_channels)
        self.prev_feat_fuse = conv(2 * ch3, ch3)
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(2 * ch3, ch2, 4, 2, 1), nn.LeakyReLU(negative_slope, True),
            ResBlock(ch2, negative_slope), ResBlock(ch2, negative_slope),
            nn.ConvTranspose2d(ch2, ch1, 4, 2, 1), nn.LeakyReLU(negative_slope, True),
            ResBlock(ch1, negative_slope), ResBlock(ch1, negative_slope),
            conv(ch1, in_channels))
        self.full_res_skip = full_res_skip
        if full_res_skip:
            self.skip_out = nn.Conv2d(ch1, in_channels, 3, 1, 1)
            nn.init.zeros_(self.skip_out.weight)
            nn.init.zeros_(self.skip_out.bias)

    def step(self, blurry: Tensor, prev_blurry: Tensor, prev_restored: Tensor,
             prev_feat: Optional[Tensor]) -> Tuple[Tensor, Tensor]:
        """One recurrent step.

        Args:
            blurry (Tensor): Current blurry frame, (b, c, h, w), h and w multiples of 4.
            prev_blurry (Tensor): Previous blurry frame, (b, c, h, w).
            prev_restored (Tensor): Previous output, (b, c, h, w).
            prev_feat (Tensor | None): Previous step's features, (b, 2 * ch3, h/4, w/4);
                None at the first frame.

        Returns:
            tuple[Tensor, Tensor]: Restored frame (b, c, h, w) and this step's features
            (b, 2 * ch3, h/4, w/4) for the next step.
        """
        if blurry.shape[-2] % 4 or blurry.shape[-1] % 4:
            raise ValueError(f'STFANNet.step needs h and w divisible by 4, got '
                             f'{tuple(blurry.shape)}; forward() pads for you')
        k = self.filter_size
        branch = self.filter_encoder(torch.cat([blurry, prev_blurry, prev_restored], 1))
        align_filters = self.align_filters(branch)
        deblur_filters = self.deblur_filters(
            torch.cat([branch, self.align_filters_embed(align_filters)], 1))

        full_res = self.encoder[:3](blurry)  # conv + 2 residual blocks at full resolution
        feat = self.encoder[3:](full_res)
        feat_deblurred = filter_adaptive_conv(feat, deblur_filters, k)
        if prev_feat is None:
            prev_feat = torch.cat([feat, feat], 1)
        feat_aligned = filter_adaptive_conv(self.prev_feat_fuse(prev_feat), align_filters, k)
        fused = torch.cat([feat_deblurred, feat_aligned], 1)
        out = self.decoder(fused) + blurry
        if self.full_res_skip:
            out = out + self.skip_out(full_res)
        return out, fused

    def forward(self, x: Tensor, detach_state: bool = False) -> Tensor:
        """Run the recurrence over a clip, from its first frame.

        Args:
            x (Tensor): Blurry clip, (b, t, c, h, w), any h and w.
            detach_state (bool): Cut the gradient between steps (training as in the
                original: no backpropagation through time). Default: False.

        Returns:
            Tensor: Restored clip, (b, t, c, h, w).
        """
        b, t, c, h, w = x.shape
        frames = pad_to_multiple(x.reshape(b * t, c, h, w), self.scale_factor)
        frames = frames.view(b, t, c, *frames.shape[-2:])
        prev_blurry, prev_restored, prev_feat = frames[:, 0], frames[:, 0], None
        outputs = []
        for i in range(t):
            out, prev_feat = self.step(frames[:, i], prev_blurry, prev_restored, prev_feat)
            outputs.append(out[..., :h, :w])
            prev_blurry, prev_restored = frames[:, i], out.clamp(0, 1)
            if detach_state:
                prev_restored, prev_feat = prev_restored.detach(), prev_feat.detach()
        return torch.stack(outputs, dim=1)


class ResBlock(nn.Module):
    """conv-lrelu-conv with an identity shortcut (STFAN's residual block).

    Args:
        channels (int): Channels.
        negative_slope (float): LeakyReLU slope.
    """

    def __init__(self, channels: int, negative_slope: float):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1), nn.LeakyReLU(negative_slope, True),
            nn.Conv2d(channels, channels, 3, 1, 1))

    def forward(self, x: Tensor) -> Tensor:
        """x (Tensor): (n, c, h, w). Returns (n, c, h, w)."""
        return x + self.body(x)
