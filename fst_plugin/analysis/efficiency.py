"""Parameters, MACs, latency and peak memory of a deblurring network, per output frame."""
import time
from typing import Callable, Dict, Optional, Tuple

import torch
from mmengine.analysis import FlopAnalyzer
from mmengine.analysis.jit_handles import elementwise_flop_counter, get_shape
from torch import nn

from ..utils.memory_info import peak_memory_mb

# How MACs are counted (stated in every report): MMEngine's FlopAnalyzer (fvcore rules:
# one multiply-add = 1; convolutions, transposed convolutions, matmul/bmm/einsum, linear,
# norms, bilinear up-sampling) plus two handles it lacks: torchvision's deformable
# convolution as a convolution of the same shape, and element-wise products (attention
# weighting, STFAN's filter adaptive convolution) as 1 MAC per output element.
MAC_RULES = ('MMEngine FlopAnalyzer (fvcore rules, 1 MAC = 1 multiply-add) + deformable conv '
             'counted as a conv of the same shape + element-wise products as 1 MAC/element')


def _deform_conv_macs(inputs, outputs) -> int:
    weight = get_shape(inputs[1])  # (out, in / groups, kh, kw)
    out = get_shape(outputs[0])
    return int(torch.tensor(out).prod()) * weight[1] * weight[2] * weight[3]


class _StepModule(nn.Module):
    """One recurrent step of a network with ``step()`` (STFAN) as a traceable module."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, blurry, prev_blurry, prev_restored, prev_feat):
        return self.net.step(blurry, prev_blurry, prev_restored, prev_feat)


class _CachedWindowModule(nn.Module):
    """FST in streaming inference: encode the newest frame, decode with T-1 cached ones."""

    def __init__(self, net: nn.Module, cached_terms: Optional[list] = None):
        super().__init__()
        self.net = net
        # the T-1 cached frames' fusion terms (FSTNet.frame_terms, one entry per frame)
        self.cached_terms = cached_terms

    def forward(self, frame, *cached):
        feats = self.net.encode(frame)
        clip = [self.net.stack_frames(list(c.unbind(1)) + [f]) for c, f in zip(cached, feats)]
        terms = None
        if self.cached_terms is not None:  # the new frame's terms join the cached ones
            terms = self.net.stack_frame_terms(self.cached_terms + [self.net.frame_terms(feats)])
        return self.net.decode(clip, clip[0].shape[1] // 2, terms)


def per_frame_call(net: nn.Module, num_frames: int, size: Tuple[int, int],
                   device='cpu', encoder_cache: bool = False) -> Tuple[nn.Module, tuple]:
    """The module and inputs that produce ONE output frame in the network's natural mode.

    Sliding-window networks (FST, EDVR) run a clip of T frames per output frame; recurrent
    networks (``step()``, STFAN) run one step with the previous state. With
    ``encoder_cache`` a network with ``encode``/``decode`` (FST) encodes one new frame and
    decodes with the cached features of the other T-1, as ``VideoDeblurInferencer`` does.

    Returns:
        tuple: (module, inputs) with module(*inputs) producing one output frame.
    """
    h, w = size
    if encoder_cache:
        if not all(hasattr(net, name) for name in ('encode', 'decode', 'stack_frames')):
            raise ValueError(f'{type(net).__name__} has no encode/decode/stack_frames for a '
                             'feature cache')
        frame = torch.rand(1, 3, h, w, device=device)
        with torch.no_grad():
            feats = net.encode(frame)
            terms = net.frame_terms(feats) if hasattr(net, 'frame_terms') else None
        cached = tuple(net.stack_frames([f] * (num_frames - 1)) for f in feats)
        cached_terms = None if terms is None else [terms] * (num_frames - 1)
        return _CachedWindowModule(net, cached_terms), (frame, ) + cached
    if hasattr(net, 'step'):
        blurry = torch.rand(1, 3, h, w, device=device)
        with torch.no_grad():
            _, feat = net.step(blurry, blurry, blurry, None)
        return _StepModule(net), (blurry, blurry, blurry, feat)
    return net, (torch.rand(1, num_frames, 3, h, w, device=device), )


def count_macs(module: nn.Module, inputs: tuple) -> int:
    """MACs of ``module(*inputs)`` under :data:`MAC_RULES`."""
    analyzer = FlopAnalyzer(module, inputs)
    analyzer.set_op_handle('torchvision::deform_conv2d', _deform_conv_macs)
    analyzer.set_op_handle('aten::mul', elementwise_flop_counter(0, 1))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    return int(analyzer.total())


def count_params(net: nn.Module) -> int:
    """Number of parameters."""
    return sum(p.numel() for p in net.parameters())


def time_call(fn: Callable[[], object], device='cpu', repeats: int = 3,
              warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds (CUDA synchronized)."""
    sync = torch.cuda.synchronize if str(device).startswith('cuda') else (lambda: None)
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def measure_network(net: nn.Module, num_frames: int, size: Tuple[int, int],
                    device='cpu', repeats: int = 3, macs: bool = True,
                    encoder_cache: bool = False, warmup: bool = True) -> Dict[str, float]:
    """Parameters, MACs, seconds and peak memory (MiB) per output frame at ``size``.

    Args:
        net (nn.Module): Network (FSTNet, EDVRDeblurNet, STFANNet, ...), eval mode.
        num_frames (int): T of sliding-window networks.
        size (tuple[int, int]): Frame (h, w).
        device (str): ``'cpu'`` or ``'cuda'``. Default: ``'cpu'``.
        repeats (int): Timed runs (median). Default: 3.
        macs (bool): Also count MACs (a traced run). Default: True.
        encoder_cache (bool): Measure FST's streaming mode (see :func:`per_frame_call`).
            Default: False.
        warmup (bool): Run once untimed before timing and measure memory in a
            separate run. False times the single run whose memory is measured (for
            runs of a minute, where one-time setup is negligible). Default: True.

    Returns:
        dict: ``params``, ``macs`` (or None), ``seconds``, ``peak_mb`` (or None).
    """
    net = net.to(device).eval()
    module, inputs = per_frame_call(net, num_frames, size, device, encoder_cache)

    def run():
        with torch.no_grad():
            module(*inputs)

    result = dict(params=count_params(net), macs=None)
    if macs:
        with torch.no_grad():
            result['macs'] = count_macs(module, inputs)
    if warmup:
        result['seconds'] = time_call(run, device, repeats=repeats)
        result['peak_mb'] = peak_memory_mb(run, device)
        return result
    seconds = []

    def timed_run():
        seconds.append(time_call(run, device, repeats=1, warmup=0))

    result['peak_mb'] = peak_memory_mb(timed_run, device)
    for _ in range(repeats - 1):
        timed_run()
    result['seconds'] = sorted(seconds)[len(seconds) // 2]
    return result


def cpu_autocast(dtype: str = 'fp32'):
    """A context that runs the enclosed CPU ops in ``dtype``: ``'bf16'`` autocast (weights
    stay fp32), or ``'fp32'`` (autocast off)."""
    if dtype not in ('fp32', 'bf16'):
        raise ValueError(f"dtype must be 'fp32' or 'bf16', got {dtype!r}")
    return torch.autocast('cpu', dtype=torch.bfloat16, enabled=dtype == 'bf16')


def inference_pass(net: nn.Module, num_frames: int, size: Tuple[int, int],
                   encoder_cache: bool = False, dtype: str = 'fp32',
                   channels_last_inputs: bool = False) -> Callable[[], None]:
    """A callable producing ONE output frame (:func:`per_frame_call`) without gradients.

    ``channels_last_inputs`` lays 4-D inputs out channels-last (for networks converted with
    ``net.to(memory_format=torch.channels_last)``).
    """
    module, inputs = per_frame_call(net.eval(), num_frames, size, encoder_cache=encoder_cache)
    if channels_last_inputs:
        inputs = tuple(x.contiguous(memory_format=torch.channels_last) if x.dim() == 4 else x
                       for x in inputs)

    def run():
        with torch.no_grad(), cpu_autocast(dtype):
            module(*inputs)
    return run


def training_step(net: nn.Module, num_frames: int, size: Tuple[int, int],
                  dtype: str = 'fp32', batch_size: int = 1) -> Callable[[], None]:
    """A callable running one training step of ``net`` (train mode) on a random
    (batch_size, num_frames, 3, h, w) clip: forward, L1 loss to a random target of the
    output's shape, backward, Adam. bf16: autocast with fp32 weights, as ``--amp bf16``
    trains."""
    net.train()
    clip = torch.rand(batch_size, num_frames, 3, *size)
    with torch.no_grad():
        target = torch.rand_like(net(clip))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)

    def step():
        optimizer.zero_grad()
        with cpu_autocast(dtype):
            loss = (net(clip).float() - target).abs().mean()
        loss.backward()
        optimizer.step()
    return step
