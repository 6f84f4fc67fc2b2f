"""The numeric precision a device runs fastest at: read the CPU's flags once, in one place.

CPUs with AMX or AVX512-BF16 (Intel Sapphire Rapids and later, AMD Zen 4 and later) multiply
bfloat16 matrices several times faster than float32, so inference and training there run
in bfloat16 autocast; CPUs without them emulate bfloat16 and run it slower than float32, so
they stay in float32. On CUDA devices autocast is float16 (bfloat16 where supported).
``'auto'`` resolves to that choice; an explicit precision always wins. The flags are read from
``/proc/cpuinfo``, or from the file ``$FST_CPUINFO`` names (a machine whose ``/proc`` is
hidden, or a test).
"""
import functools
import os
from typing import FrozenSet, Optional

import torch

BF16_CPU_FLAGS = ('amx_bf16', 'avx512_bf16')
PRECISIONS = ('auto', 'fp32', 'bf16', 'fp16')


def _cpuinfo() -> str:
    return os.environ.get('FST_CPUINFO', '/proc/cpuinfo')


def cpu_flags() -> FrozenSet[str]:
    """The feature flags of the first processor (empty where unreadable)."""
    return _read_flags(_cpuinfo())


def cpu_model() -> str:
    """The processor's model name as the kernel reports it ('unknown' where unreadable)."""
    return _read_model(_cpuinfo())


@functools.lru_cache(maxsize=None)
def _read_flags(cpuinfo: str) -> FrozenSet[str]:
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith(('flags', 'Features')):
                    return frozenset(line.split(':', 1)[1].split())
    except OSError:
        pass
    return frozenset()


@functools.lru_cache(maxsize=None)
def _read_model(cpuinfo: str) -> str:
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def cpu_has_fast_bf16(flags: Optional[FrozenSet[str]] = None) -> bool:
    """Whether the CPU has bfloat16 matrix units (AMX or AVX512-BF16)."""
    flags = cpu_flags() if flags is None else flags
    return any(flag in flags for flag in BF16_CPU_FLAGS)


def auto_precision(device='cpu') -> str:
    """``'bf16'`` on CPUs with bfloat16 units, ``'fp32'`` on other CPUs; on CUDA ``'bf16'``
    where the device supports it, else ``'fp16'``."""
    device = torch.device(device)
    if device.type == 'cuda':
        return 'bf16' if torch.cuda.is_bf16_supported() else 'fp16'
    return 'bf16' if device.type == 'cpu' and cpu_has_fast_bf16() else 'fp32'


def resolve_precision(precision: str, device='cpu') -> str:
    """``precision`` itself, or :func:`auto_precision` for ``'auto'``."""
    if precision not in PRECISIONS:
        raise ValueError(f'precision must be one of {PRECISIONS}, got {precision!r}')
    return auto_precision(device) if precision == 'auto' else precision


def describe_cpu() -> str:
    """``'<model> (bf16 units: amx_bf16 avx512_bf16)'`` or ``'<model> (no bf16 units)'``."""
    units = [f for f in BF16_CPU_FLAGS if f in cpu_flags()]
    return f'{cpu_model()} ({"bf16 units: " + " ".join(units) if units else "no bf16 units"})'
