"""L1 loss between the 2-D Fourier spectra of prediction and target."""
import torch
import torch.nn as nn
from torch import Tensor

from mmagic.registry import MODELS

_REDUCTIONS = ('none', 'mean', 'sum')


@MODELS.register_module()
class FrequencyReconstructionLoss(nn.Module):
    """L1 distance between the real and imaginary parts of ``rfft2`` of two images.

    Pixel losses (L1, Charbonnier) under-weight the high frequencies that motion blur
    removes; comparing spectra penalises missing edges and textures directly. Combine
    it with a pixel loss, e.g. ``pixel_loss=[dict(type='CharbonnierLoss'),
    dict(type='FrequencyReconstructionLoss', loss_weight=0.1)]``.

    Paper: Rethinking Coarse-to-Fine Approach in Single Image Deblurring (MIMO-UNet,
    Cho et al., ICCV 2021), eq. 5.

    Args:
        loss_weight (float): Weight of the loss. Default: 0.1.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.
        norm (str): Normalization of ``torch.fft.rfft2``. Default: ``'backward'``
            (unnormalized forward transform, as in MIMO-UNet).
    """

    def __init__(self, loss_weight: float = 0.1, reduction: str = 'mean',
                 norm: str = 'backward'):
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f'reduction must be one of {_REDUCTIONS}, got {reduction!r}')
        self.loss_weight = loss_weight
        self.reduction = reduction
        self.norm = norm

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): Prediction, (b, c, h, w).
            target (Tensor): Ground truth, (b, c, h, w).

        Returns:
            Tensor: Loss, a scalar unless ``reduction='none'`` (then (b, c, h, w//2+1, 2)).
        """
        if pred.shape != target.shape:
            raise ValueError(f'pred {tuple(pred.shape)} and target {tuple(target.shape)} differ')
        # FFTs are computed in float32 at least: half precision rfft2 needs power-of-two sizes
        dtype = torch.promote_types(pred.dtype, torch.float32)
        spec_pred = torch.view_as_real(torch.fft.rfft2(pred.to(dtype), norm=self.norm))
        spec_target = torch.view_as_real(torch.fft.rfft2(target.to(dtype), norm=self.norm))
        loss = (spec_pred - spec_target).abs()
        if self.reduction == 'mean':
            loss = loss.mean()
        elif self.reduction == 'sum':
            loss = loss.sum()
        return self.loss_weight * loss
