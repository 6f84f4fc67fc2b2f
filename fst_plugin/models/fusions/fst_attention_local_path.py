"""FSTA plus a zero-initialised local path: lets a trained FST start reading its neighbours."""
from typing import Optional, Tuple

import torch.nn as nn
from torch import Tensor

from mmagic.registry import MODELS
from .clip_check import check_clip
from .concat_fusion import ConcatConvFusion
from .fst_attention import FactorizedSpatioTemporalAttention


@MODELS.register_module()
class FSTAttentionWithLocalPath(FactorizedSpatioTemporalAttention):
    """Factorized spatio-temporal attention with a local concat path added to its output.

    ``z = FSTA(x)^R + conv(lrelu(conv(concat(x_1, ..., x_T))))``: the residual of
    :class:`ConcatConvFusion` (``local_path``), its second conv zero-initialised.

    Why: FSTA (eq. 1-6 of the paper) hands every reference pixel a mix of M*N *global*
    descriptors, so a neighbour's local detail (the sharper edge of a luckier frame a few
    pixels away) cannot reach the reference pixel through it
    (``tools/test.py --temporal-radius 0`` shows whether a model reads its neighbours;
    docs/research_log/03_local_path.md). This module keeps FSTA's
    parameter names, so trained FST weights load into it unchanged (only ``local_path.*``
    is new) and, with the zero-initialised last conv, the network starts exactly where those
    weights were; training then decides what the local path adds. Memory stays linear in
    T*H*W (a 3x3 conv over the T*C concatenated channels).

    Args:
        channels (int): Feature channels C.
        num_frames (int): T, the number of frames concatenated (fixed at construction).
        **attention_kwargs: ``num_spatial_maps``, ``num_temporal_maps`` and the kernel
            sizes of :class:`FactorizedSpatioTemporalAttention`.
    """

    def __init__(self, channels: int, num_frames: int, **attention_kwargs):
        super().__init__(channels, **attention_kwargs)
        self.num_frames = num_frames
        self.local_path = ConcatConvFusion(channels, num_frames)
        nn.init.zeros_(self.local_path.body[-1].weight)
        nn.init.zeros_(self.local_path.body[-1].bias)

    def forward(self, feats: Tensor, ref_idx: int,
                frame_terms: Optional[Tuple[Tensor, Tensor]] = None) -> Tensor:
        """Fuse the clip into its reference frame: (b, t, c, h, w) with t == num_frames ->
        (b, c, h, w) (``ref_idx``: the reference frame's index in t; ``frame_terms``: see
        :meth:`FactorizedSpatioTemporalAttention.descriptors`)."""
        check_clip(self, feats, ref_idx, self.channels, self.num_frames)
        return super().forward(feats, ref_idx, frame_terms) + \
            self.local_path.local_response(feats, ref_idx)
