"""A two-layer single-frame residual CNN: the control that video deblurring should beat."""
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS


@MODELS.register_module()
class SingleFrameControlNet(BaseModule):
    """Control network: the centre frame plus a two-layer convolutional residual.

    Not a method from a paper: a learned 5x5-receptive-field sharpening filter that sees one
    frame. On a short schedule a video network can leave the identity only through such a
    shallow full-resolution path (``full_res_skip`` of ``EDVRDeblurNet`` and ``STFANNet``),
    so a gain over the blurry input shows that a network learns, not that its multi-frame
    body helps; this control, trained with the same recipe, measures that floor
    (``configs/ablations/single-frame-control_1xb4-900i_demo.py``).

    conv3x3(in -> mid) -> LeakyReLU(0.1) -> conv3x3(mid -> in), zero-initialised, added to
    the centre frame.

    Args:
        in_channels (int): Image channels. Default: 3.
        mid_channels (int): Hidden channels. Default: 32 (the demo EDVR's conv_first).
        num_frames (int): T of the clips it is given (only the centre frame is read).
            Default: 5.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self, in_channels: int = 3, mid_channels: int = 32, num_frames: int = 5,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_frames = num_frames
        self.conv_first = nn.Conv2d(in_channels, mid_channels, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.1, inplace=True)
        self.conv_last = nn.Conv2d(mid_channels, in_channels, 3, 1, 1)
        nn.init.zeros_(self.conv_last.weight)  # starts as the identity
        nn.init.zeros_(self.conv_last.bias)

    def forward(self, x: Tensor) -> Tensor:
        """Args:
            x (Tensor): Blurry clip, (b, t, c, h, w).

        Returns:
            Tensor: Centre frame plus the residual, (b, c, h, w).
        """
        if x.dim() != 5 or x.shape[1] != self.num_frames:
            raise ValueError(f'SingleFrameControlNet expects (b, {self.num_frames}, c, h, w) '
                             f'clips, got input shape {tuple(x.shape)}')
        center = x[:, self.num_frames // 2]
        return center + self.conv_last(self.lrelu(self.conv_first(center)))
