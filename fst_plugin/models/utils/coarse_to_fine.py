"""Two-scale inference: the low frequencies of a restoration taken from a run at a coarser
scale, where a long blur is short enough for the network.

A network trained on blur of a few to a few tens of pixels restores blur that is longer
than that only partly. At half the size the same blur is half as long. The coarse run's
output replaces the low-frequency band of the full-size output (a two-level Laplacian
pyramid), and the full-size run keeps the fine detail:

    y = net(x) + up(net(down(x)) - down(net(x)))

so where the coarse run changes nothing beyond what the full-size run did, the output is the
full-size run's. The cost is 1 + scale**2 network runs.
"""
from typing import Callable

import torch.nn.functional as F
from torch import Tensor


def resize_frames(x: Tensor, size) -> Tensor:
    """Bilinear resize of the last two axes of ``x`` (..., c, h, w) to ``size`` (h, w),
    antialiased when shrinking."""
    lead, (c, h, w) = x.shape[:-3], x.shape[-3:]
    flat = x.reshape(-1, c, h, w)
    shrink = size[0] < h or size[1] < w
    out = F.interpolate(flat.float(), size=tuple(size), mode='bilinear', align_corners=False,
                        antialias=shrink)
    return out.to(x.dtype).reshape(*lead, c, *size)


def coarse_to_fine(run: Callable[[Tensor], Tensor], inputs: Tensor, scale: float) -> Tensor:
    """Restore ``inputs`` at full size and at ``scale``, and merge the two.

    Args:
        run (callable): The network: a clip (b, t, c, h, w) to its restored frame(s),
            (b, c, h, w) or (b, t, c, h, w).
        inputs (Tensor): Blurry clip, (b, t, c, h, w).
        scale (float): Size of the coarse run relative to the input, in (0, 1).

    Returns:
        Tensor: The merged restoration, shaped as ``run``'s output.
    """
    if not 0 < scale < 1:
        raise ValueError(f'coarse_to_fine scale must be in (0, 1), got {scale}')
    h, w = inputs.shape[-2:]
    coarse_size = (max(1, round(h * scale)), max(1, round(w * scale)))
    fine = run(inputs)
    coarse = run(resize_frames(inputs, coarse_size))
    low_band_change = coarse - resize_frames(fine, coarse_size)
    return fine + resize_frames(low_band_change, (h, w))
