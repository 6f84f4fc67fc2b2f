"""Padding frames to the size multiple a network's down-sampling needs."""
import torch.nn.functional as F
from torch import Tensor


def pad_to_multiple(x: Tensor, multiple: int) -> Tensor:
    """Replicate-pad the bottom/right of ``x`` (n, c, h, w) so that h and w are multiples of
    ``multiple``; returns ``x`` itself when they already are. Crop outputs back with
    ``[..., :h, :w]``."""
    h, w = x.shape[-2:]
    pad_h, pad_w = (-h) % multiple, (-w) % multiple
    if pad_h == 0 and pad_w == 0:
        return x
    return F.pad(x, (0, pad_w, 0, pad_h), mode='replicate')
