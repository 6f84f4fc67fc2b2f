"""FSTNet: hierarchical dense encoder-decoder with spatio-temporal attention fusion."""
import inspect
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from ...utils import cat_channels, pad_to_multiple


@MODELS.register_module()
class FSTNet(BaseModule):
    """Video deblurring network with factorized spatio-temporal attention (FST).

    Each of the T blurry frames goes through one shared encoder (no cross-frame
    interaction, so a frame's features can be computed once and reused by every window
    that contains it). At each of the ``len(mid_channels)`` scales a fusion module
    (``FactorizedSpatioTemporalAttention`` by default) fuses the T frames into the
    reference (centre) frame. A decoder with the fused features as skips restores the
    reference frame, and the output is added to the blurry reference frame (global
    residual). The last convolution starts at zero, so an untrained network returns its
    blurry input. Any h, w is accepted: the input is padded by replication to a multiple
    of ``2 ** (num_scales - 1)`` and the output cropped back.

    Paper: Dynamic Scene Video Deblurring using Non-Local Attention (Suin and
    Rajagopalan; refined version at CVPR 2021).

    Args:
        in_channels (int): Image channels. Default: 3.
        mid_channels (Sequence[int]): Feature channels per scale, finest first.
            Default: (32, 64, 96).
        growth_channels (Sequence[int]): Growth rate of the dense layers per scale.
            Default: (16, 32, 48).
        num_dense_layers (int): Densely connected conv layers per dense block. Default: 4.
        num_encoder_blocks (int): Dense blocks per encoder scale. Default: 1.
        num_decoder_blocks (Sequence[int]): Dense blocks per decoder scale, finest first.
            Default: (1, 1, 2).
        fusion (dict): Config of the fusion module applied at every scale; ``channels``
            (and ``num_frames`` where the module takes it) are filled in.
            Default: ``dict(type='FactorizedSpatioTemporalAttention')``.
        num_frames (int): T, needed only by fusions of fixed T. Default: 5.
        channels_last (bool): Run the encoder and decoder on channels-last activations
            (same weights and outputs; oneDNN's CPU convolutions, above all their backward
            pass, are faster in this layout at these channel counts; docs/benchmarks/
            cpu_speed.md). Default: True.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int = 3,
                 mid_channels: Sequence[int] = (32, 64, 96),
                 growth_channels: Sequence[int] = (16, 32, 48),
                 num_dense_layers: int = 4,
                 num_encoder_blocks: int = 1,
                 num_decoder_blocks: Sequence[int] = (1, 1, 2),
                 fusion: dict = dict(type='FactorizedSpatioTemporalAttention'),
                 num_frames: int = 5,
                 channels_last: bool = True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        num_scales = len(mid_channels)
        if not len(growth_channels) == len(num_decoder_blocks) == num_scales:
            raise ValueError('mid_channels, growth_channels and num_decoder_blocks need one '
                             f'entry per scale, got {mid_channels}, {growth_channels}, '
                             f'{num_decoder_blocks}')
        self.in_channels = in_channels
        self.num_frames = num_frames
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.scale_factor = 2**(num_scales - 1)

        self.encoders = nn.ModuleList()
        self.fusions = nn.ModuleList()
        for i, (c, g) in enumerate(zip(mid_channels, growth_channels)):
            stem = nn.Conv2d(in_channels if i == 0 else mid_channels[i - 1], c, 3,
                             stride=1 if i == 0 else 2, padding=1)
            blocks = [ResidualDenseBlock(c, g, num_dense_layers) for _ in range(num_encoder_blocks)]
            self.encoders.append(nn.Sequential(stem, nn.LeakyReLU(0.1, inplace=True), *blocks))
            self.fusions.append(self._build_fusion(fusion, c, num_frames))

        self.decoders = nn.ModuleList()
        self.upsamplers = nn.ModuleList()
        for i, (c, g, n) in enumerate(zip(mid_channels, growth_channels, num_decoder_blocks)):
            self.decoders.append(
                nn.Sequential(*[ResidualDenseBlock(c, g, num_dense_layers) for _ in range(n)]))
            if i < num_scales - 1:
                self.upsamplers.append(
                    nn.Sequential(
                        nn.Conv2d(mid_channels[i + 1], 4 * c, 3, padding=1),
                        nn.PixelShuffle(2), nn.LeakyReLU(0.1, inplace=True)))
        self.conv_last = nn.Conv2d(mid_channels[0], in_channels, 3, padding=1)
        nn.init.zeros_(self.conv_last.weight)
        nn.init.zeros_(self.conv_last.bias)

    @staticmethod
    def _build_fusion(cfg: dict, channels: int, num_frames: int) -> nn.Module:
        cfg = dict(cfg, channels=channels)
        fusion_cls = MODELS.get(cfg['type'])
        if fusion_cls is None:
            raise KeyError(f'fusion type {cfg["type"]!r} is not registered in mmagic MODELS')
        if 'num_frames' in inspect.signature(fusion_cls).parameters:
            cfg.setdefault('num_frames', num_frames)
        return MODELS.build(cfg)

    def encode(self, frames: Tensor) -> List[Tensor]:
        """Encode frames independently with the shared encoder.

        Args:
            frames (Tensor): Frames, (n, c, h, w) with h, w multiples of
                ``self.scale_factor``.

        Returns:
            list[Tensor]: Features per scale, finest first, (n, c_i, h / 2^i, w / 2^i).
        """
        feats = []
        x = frames.contiguous(memory_format=self.memory_format)
        if x.dim() == 4 and x.size(0) == 1 and x.stride(0) < x[0].numel():
            # a lone frame whose batch stride is smaller than a frame (a view that added
            # the batch dim last) passes ``is_contiguous`` for both layouts and PyTorch's
            # convolutions then pick NCHW for it and everything after
            x = torch.empty_like(x, memory_format=self.memory_format).copy_(x)
        for encoder in self.encoders:
            x = encoder(x)
            if x.requires_grad and self.memory_format == torch.channels_last:
                x.register_hook(self._gradient_in_memory_format)
            feats.append(x)
        return feats

    def _gradient_in_memory_format(self, grad: Tensor) -> Tensor:
        # The fusions' select (reference frame) and mean (temporal pooling) send their
        # gradients back in the default layout; summed with the others and left so, the
        # encoder's whole backward pass ran on NCHW gradients (bf16 training step at
        # batch 4, 160x160 on 2 cores: 1.42 -> 1.17 s with this copy)
        return grad.contiguous(memory_format=self.memory_format)

    def frame_terms(self, feats: Sequence[Tensor]) -> List[Optional[Tuple[Tensor, Tensor]]]:
        """Per scale, the fusion's terms that depend on one frame alone (for fusions that
        have them, :meth:`FactorizedSpatioTemporalAttention.frame_terms`; else None), to be
        computed once per frame next to its encoder features and passed to :meth:`decode`.

        Args:
            feats (Sequence[Tensor]): :meth:`encode`'s output for n frames, finest first,
                (n, c_i, h_i, w_i).

        Returns:
            list: Per scale None or ``(G_s, x')`` of shapes (n, M, c_i) and (n, c_i).
        """
        return [fusion.frame_terms(f)[:2] if hasattr(fusion, 'frame_terms') else None
                for fusion, f in zip(self.fusions, feats)]

    @staticmethod
    def stack_frame_terms(terms: Sequence[List[Optional[Tuple[Tensor, Tensor]]]]
                          ) -> List[Optional[Tuple[Tensor, Tensor]]]:
        """The per-frame terms of a window's t frames (each :meth:`frame_terms`' output)
        stacked over t, as :meth:`decode` takes them.

        Args:
            terms (Sequence[list]): t per-scale lists of None or ``(G_s, x')``, (n, M, c_i)
                and (n, c_i).

        Returns:
            list: Per scale None or ``(G_s, x')`` of shapes (n, t, M, c_i) and (n, t, c_i).
        """
        return [None if scale[0] is None else
                tuple(torch.stack(parts, dim=1) for parts in zip(*scale))
                for scale in zip(*terms)]

    def decode(self, feats: Sequence[Tensor], ref_idx: int,
               frame_terms: Optional[Sequence[Optional[Tuple[Tensor, Tensor]]]] = None
               ) -> Tensor:
        """Fuse encoded clips at every scale and decode the reference frame's residual.

        Args:
            feats (Sequence[Tensor]): Features per scale, finest first,
                (b, t, c_i, h_i, w_i).
            ref_idx (int): Index of the reference frame in ``t``.
            frame_terms (Sequence, optional): Per scale None or the clip's per-frame
                fusion terms ``(G_s, x')`` stacked over t, (b, t, M, c_i) and (b, t, c_i)
                (see :meth:`frame_terms`). Default: None (the fusions compute them).

        Returns:
            Tensor: Residual to add to the reference frame, (b, c, h, w).
        """
        frame_terms = frame_terms or [None] * len(self.fusions)
        fused = [fusion(self._clip_memory_format(f), ref_idx) if terms is None else
                 fusion(self._clip_memory_format(f), ref_idx, frame_terms=terms)
                 for fusion, f, terms in zip(self.fusions, feats, frame_terms)]
        x = self.decoders[-1](fused[-1])
        for i in range(len(fused) - 2, -1, -1):
            x = self.decoders[i](self.upsamplers[i](x) + fused[i])
        return self.conv_last(x)

    def stack_frames(self, frames: Sequence[Tensor]) -> Tensor:
        """``torch.stack(frames, dim=1)`` with every frame in ``self.memory_format``.

        How callers holding per-frame features (an encoder cache) should build the clip
        that :meth:`decode` takes: one copy per frame, in the layout the network runs in.

        Args:
            frames (Sequence[Tensor]): t features of one scale, each (b, c, h, w).

        Returns:
            Tensor: The clip, (b, t, c, h, w).
        """
        b, c, h, w = frames[0].shape
        like = dict(dtype=frames[0].dtype, device=frames[0].device)
        if self.memory_format != torch.channels_last:
            return torch.stack(list(frames), dim=1)
        # (b, t, h, w, c) storage seen as (b, t, c, h, w). Copying frame by frame into
        # slices of a channels-last 5-D view instead ran at ~0.7 GB/s (the strided copy
        # kernel walks it channel-major): 56 of ~400 ms of a 256x256 cached pass.
        clip = torch.empty((b, len(frames), h, w, c), **like)
        for i, frame in enumerate(frames):
            clip[:, i].copy_(frame.permute(0, 2, 3, 1))
        return clip.permute(0, 1, 4, 2, 3)

    def _clip_memory_format(self, clip: Tensor) -> Tensor:
        """A clip (b, t, c, h, w) whose frames are in ``self.memory_format``.

        Clips stacked with ``torch.stack`` come out in the default layout; left so, the
        fusion and the whole decoder would run in it.
        """
        b, t = clip.shape[:2]
        frames = clip.reshape(b * t, *clip.shape[2:])
        return frames.contiguous(memory_format=self.memory_format).reshape(clip.shape)

    def forward(self, x: Tensor) -> Tensor:
        """Deblur the centre frame of a clip.

        Args:
            x (Tensor): Blurry clip, (b, t, c, h, w).

        Returns:
            Tensor: Deblurred centre frame, (b, c, h, w).
        """
        if x.dim() != 5 or x.size(2) != self.in_channels:
            raise ValueError(f'FSTNet expects a clip of shape (b, t, {self.in_channels}, h, w),'
                             f' got {tuple(x.shape)}')
        b, t, c, h, w = x.shape
        ref_idx = t // 2
        padded = pad_to_multiple(x.reshape(b * t, c, h, w), self.scale_factor)
        feats = [f.reshape(b, t, *f.shape[1:]) for f in self.encode(padded)]
        residual = self.decode(feats, ref_idx)[..., :h, :w]
        return x[:, ref_idx] + residual


class ResidualDenseBlock(nn.Module):
    """Densely connected module: each 3x3 conv sees all previous outputs.

    ``out = x + conv1x1(concat(x, l_1, ..., l_L))`` with ``l_k = lrelu(conv3x3(concat(x,
    l_1, ..., l_{k-1})))`` (RDN, Zhang et al. CVPR 2018).

    Two exact ways to compute it, chosen by whether autograd records:

    - training (grad enabled): the concatenating form above;
    - inference (``torch.no_grad``/``inference_mode``): source by source. A conv of a
      concatenation is the sum of convs of its parts, so each source (``x``, then each
      ``l_j``) is convolved ONCE with the stacked weight slices of every later layer that
      reads it, and each layer's pre-activation is the sum of its parts. Same weights,
      same MACs, same output within float rounding; but no concatenation is copied for
      the 3x3 layers and the convolutions have L, L-1, ... times more output channels
      (16-channel outputs are where oneDNN runs slowest: at 256x256 a 32->16 3x3 conv
      reached ~100 GFLOP/s, a 32->64 one ~160 on this project's 2-core CPU). The finest
      scale's block ran 72 -> 38 ms at 256x256. Its backward is slower than the
      concatenating form's, hence training keeps that one.

    Args:
        channels (int): Input and output channels.
        growth_channels (int): Channels added by each dense layer.
        num_layers (int): Number of dense layers.

    Shapes:
        x: (n, channels, h, w) -> (n, channels, h, w).
    """

    def __init__(self, channels: int, growth_channels: int, num_layers: int):
        super().__init__()
        self.channels, self.growth_channels = channels, growth_channels
        self.layers = nn.ModuleList(
            nn.Conv2d(channels + k * growth_channels, growth_channels, 3, padding=1)
            for k in range(num_layers))
        self.fuse = nn.Conv2d(channels + num_layers * growth_channels, channels, 1)
        self.act = nn.LeakyReLU(0.1, inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """x (Tensor): (n, c, h, w). Returns: (n, c, h, w)."""
        if torch.is_grad_enabled():
            return self.forward_concat(x)
        return self.forward_by_source(x)

    def forward_concat(self, x: Tensor) -> Tensor:
        """The concatenating form (used in training). (n, c, h, w) -> (n, c, h, w)."""
        feats = [x]
        for layer in self.layers:
            feats.append(self.act(layer(torch.cat(feats, dim=1))))
        return x + self.fuse(torch.cat(feats, dim=1))

    def forward_by_source(self, x: Tensor) -> Tensor:
        """The same output, each source convolved once (see the class docstring).

        (n, c, h, w) -> (n, c, h, w).
        """
        memory_format = (torch.channels_last if x.dim() == 4 and not x.is_contiguous()
                         and x.is_contiguous(memory_format=torch.channels_last) else
                         torch.contiguous_format)
        g, num_layers = self.growth_channels, len(self.layers)
        # pre-activations of every layer, (n, L * g, h, w): source j adds its part to the
        # channels of layers j..L-1 in place. Adding the parts slice by slice instead
        # cost a new tensor per layer and per source, and element-wise kernels on
        # 16-channel slices of a channels-last tensor run slowly in bf16 (scalar loops)
        pre_activation: Optional[Tensor] = None
        feats = [x]
        for j in range(num_layers):
            # input channels of feats[j] in every layer's concatenated input
            start = 0 if j == 0 else self.channels + (j - 1) * g
            stop = self.channels + j * g
            readers = self.layers[j:]
            weight = torch.cat([layer.weight[:, start:stop] for layer in readers])
            if j == 0:
                bias = torch.cat([layer.bias for layer in readers])
                pre_activation = F.conv2d(x, weight, bias, padding=1)
            else:
                pre_activation[:, j * g:].add_(F.conv2d(feats[j], weight, padding=1))
            # copy the slice out first: the activation of a dense tensor is several
            # times faster than of a slice in bf16
            feats.append(F.leaky_relu(
                pre_activation[:, j * g:(j + 1) * g].contiguous(memory_format=memory_format),
                0.1))
        return x + self.fuse(cat_channels(feats))
