"""What this machine's processor reaches on the two kernels deep networks are made of.

The share of peak that :mod:`tools/analysis_tools/benchmark_speed.py` reports for a network is its
throughput (2 FLOPs per multiply-add) divided by the throughput of a large matrix product
measured in the same process, with the same threads and dtype. A 3x3 convolution of 64
channels at 256x256 (the densest convolution a restoration network runs) is measured
beside it as the reference for convolution-bound networks.
"""
import time
from typing import Callable, Dict

import torch
import torch.nn.functional as F

from ..utils import precision

DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16}


def best_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1,
              device='cpu') -> float:
    """Fastest wall time of ``fn()`` over ``repeats`` runs, in seconds.

    The fastest, not the median: on a shared machine other load only ever adds time, so
    the fastest run is the closest to what the processor does undisturbed.
    """
    sync = torch.cuda.synchronize if str(device).startswith('cuda') else (lambda: None)
    for _ in range(warmup):
        fn()
    sync()
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - start)
    return best


def measure_peak(dtype: str = 'fp32', device='cpu', matmul_size: int = 2048,
                 conv_side: int = 256, conv_channels: int = 64,
                 repeats: int = 5) -> Dict[str, float]:
    """GFLOP/s of a square matrix product and of a reference 3x3 convolution.

    Args:
        dtype (str): ``'fp32'`` or ``'bf16'``.
        device (str): Default: ``'cpu'``.
        matmul_size (int): n of the (n x n) @ (n x n) product. Default: 2048.
        conv_side (int): Side of the convolution's square input. Default: 256.
        conv_channels (int): Input and output channels of the convolution. Default: 64.
        repeats (int): Timed runs; the fastest counts. Default: 5.

    Returns:
        dict: ``matmul_gflops`` and ``conv_gflops`` (channels-last, the faster layout of
        oneDNN at these sizes), each 2 FLOPs per multiply-add.
    """
    if dtype not in DTYPES:
        raise ValueError(f'dtype must be one of {sorted(DTYPES)}, got {dtype!r}')
    torch_dtype = DTYPES[dtype]
    a = torch.rand(matmul_size, matmul_size, dtype=torch_dtype, device=device)
    b = torch.rand(matmul_size, matmul_size, dtype=torch_dtype, device=device)
    matmul_s = best_time(lambda: a @ b, repeats, device=device)
    x = torch.rand(1, conv_channels, conv_side, conv_side, dtype=torch_dtype,
                   device=device).contiguous(memory_format=torch.channels_last)
    weight = torch.rand(conv_channels, conv_channels, 3, 3, dtype=torch_dtype,
                        device=device).contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        conv_s = best_time(lambda: F.conv2d(x, weight, padding=1), repeats, device=device)
    conv_macs = conv_channels * conv_channels * 9 * conv_side * conv_side
    return dict(matmul_gflops=2 * matmul_size**3 / matmul_s / 1e9,
                conv_gflops=2 * conv_macs / conv_s / 1e9)


def cpu_flags() -> Dict[str, bool]:
    """Whether the CPU reports the instructions that make bf16 fast (Linux only).

    ``avx512_bf16`` (Cooper Lake, Sapphire Rapids and later, Zen 4) gives bf16 dot
    products at twice the fp32 rate, ``amx_bf16`` (Sapphire Rapids) matrix tiles; without
    either, oneDNN converts bf16 to fp32 around fp32 arithmetic and bf16 runs slower than
    fp32. Empty where the flags cannot be read (:func:`fst_plugin.utils.precision.cpu_flags`
    reads them).
    """
    flags = precision.cpu_flags()
    if not flags:
        return {}
    return {name: name in flags for name in ('avx512f', 'avx512_vnni', 'avx512_bf16',
                                            'amx_bf16')}
