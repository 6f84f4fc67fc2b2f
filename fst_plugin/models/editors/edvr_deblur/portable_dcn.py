"""Run MMagic's modulated deformable convolution packs on any device."""
import torch
from torch import Tensor, nn
from torchvision.ops import deform_conv2d

from mmagic.models.editors.edvr.edvr_net import ModulatedDCNPack


class PortableModulatedDCNPack(ModulatedDCNPack):
    """MMagic's ``ModulatedDCNPack`` computed with ``torchvision.ops.deform_conv2d``.

    Same parameters, state-dict keys and offset/mask layout as MMagic's pack (offsets of
    deformable group g and kernel tap k at channels ``2(g k2 + k)`` (dy) and ``+1`` (dx)),
    so checkpoints are interchangeable; only the kernel differs: torchvision ships CPU and
    CUDA kernels with every torch build, while ``mmcv.ops`` has CUDA kernels only when
    mmcv was compiled against CUDA (the CPU wheel this project builds is not). A test
    checks both give the same output on CPU.
    """

    def forward(self, x: Tensor, extra_feat: Tensor) -> Tensor:
        """Args:
            x (Tensor): Features to sample, (n, c, h, w).
            extra_feat (Tensor): Features that predict offsets and masks, (n, c', h, w).

        Returns:
            Tensor: (n, out_channels, h, w).
        """
        out = self.conv_offset(extra_feat)
        o1, o2, mask = torch.chunk(out, 3, dim=1)
        offset = torch.cat((o1, o2), dim=1)
        # torchvision's CPU kernel has no bfloat16 version and torchvision registers its
        # float32 autocast rule for CUDA only: under CPU autocast (--amp bf16, --dtype
        # bf16) the sampling would fail, so it runs in float32 on every device
        with torch.autocast(x.device.type, enabled=False):
            dtype = torch.promote_types(x.dtype, self.weight.dtype)
            return deform_conv2d(x.to(dtype), offset.to(dtype), self.weight.to(dtype),
                                 None if self.bias is None else self.bias.to(dtype),
                                 stride=self.stride, padding=self.padding,
                                 dilation=self.dilation, mask=torch.sigmoid(mask.to(dtype)))


def make_dcn_portable(module: nn.Module) -> nn.Module:
    """Switch every ``ModulatedDCNPack`` inside ``module`` to the torchvision kernel.

    Only the class changes (parameters, buffers and hooks stay), so this is safe on a
    freshly built MMagic ``PCDAlignment``. Grouped convolutions (``groups > 1``) are not
    supported by torchvision's op and are refused.
    """
    for name, sub in module.named_modules():
        if type(sub) is ModulatedDCNPack:
            if sub.groups != 1:
                raise ValueError(f'{name}: groups={sub.groups} is not supported by '
                                 'torchvision.ops.deform_conv2d')
            sub.__class__ = PortableModulatedDCNPack
    return module
