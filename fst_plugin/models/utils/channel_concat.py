"""Concatenation along channels of channels-last 16-bit tensors, copied in 64-bit words."""
from typing import Sequence

import torch
from torch import Tensor


def cat_channels(tensors: Sequence[Tensor]) -> Tensor:
    """``torch.cat(tensors, dim=1)``, faster for channels-last bf16/fp16 feature maps.

    A channels-last concatenation copies, for every pixel, one short run of channels per
    tensor. PyTorch's CPU kernel copies 16-bit values one element at a time, which made it
    as slow in bf16 as in fp32 (1280x720, 32 + 4x16 channels: 63 ms either way). Seen as
    64-bit words (4 channels per word) the same bytes copy in 40 ms. Used where autograd
    does not record (the words have no gradient); any other input goes to ``torch.cat``.

    Args:
        tensors (Sequence[Tensor]): (n, c_i, h, w) tensors of one dtype.

    Returns:
        Tensor: (n, sum c_i, h, w), channels-last when the inputs are.
    """
    first = tensors[0]
    if (torch.is_grad_enabled() or first.dim() != 4 or first.element_size() != 2
            or not all(t.dtype == first.dtype and t.shape[0] == first.shape[0]
                       and t.shape[2:] == first.shape[2:] and t.shape[1] % 4 == 0
                       and t.is_contiguous(memory_format=torch.channels_last)
                       for t in tensors)):
        return torch.cat(list(tensors), dim=1)
    try:
        words = [t.permute(0, 2, 3, 1).view(torch.int64) for t in tensors]
    except RuntimeError:  # strides that do not group into words (size-1 dimensions)
        return torch.cat(list(tensors), dim=1)
    return torch.cat(words, dim=-1).view(first.dtype).permute(0, 3, 1, 2)
