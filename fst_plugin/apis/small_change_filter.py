"""Leave the small changes a model makes to a frame out of its output (soft threshold).

A deblurring model trained on synthetic blur also makes small edits, of a grey level or
two, to frames and regions that need no fixing. On footage unlike its training data these
edits can cost more than they bring, on footage like it they help, so this is an option of
the inference tools, off by default. Each output pixel keeps the model's change ``r = out - in``
shrunk by ``t`` towards zero: ``sign(r) * max(|r| - t, 0)`` (the soft threshold of wavelet
denoising, Donoho 1995), so changes under ``t`` vanish and larger ones stay continuous.
"""
import torch
from torch import Tensor


def shrink_small_changes(blurry: Tensor, restored: Tensor, threshold: float) -> Tensor:
    """Soft-threshold the change ``restored - blurry`` per pixel and channel.

    Args:
        blurry (Tensor): The input frame, (b, c, h, w) in [0, 1].
        restored (Tensor): The model's output for it, same shape.
        threshold (float): ``t`` in the same units (a grey level is 1 / 255); 0 returns
            ``restored`` unchanged.

    Returns:
        Tensor: ``blurry + sign(r) * max(|r| - t, 0)``, (b, c, h, w).
    """
    if threshold < 0:
        raise ValueError(f'threshold must be >= 0, got {threshold}')
    if threshold == 0:
        return restored
    change = restored - blurry
    return blurry + torch.sign(change) * (change.abs() - threshold).clamp(min=0)
