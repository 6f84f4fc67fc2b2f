"""Keep freed memory in the process, so large tensors stop page-faulting on every pass."""
import ctypes
import sys

# glibc mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_MAX = -4
_TOP_PAD = 1 << 30  # address space the heap grows by at once (pages count when touched)
_applied = False


def keep_freed_memory() -> bool:
    """Let glibc's malloc reuse freed blocks instead of returning them to the OS.

    By default glibc serves every block above its mmap threshold (at most 32 MiB) with a
    fresh ``mmap`` and unmaps it on ``free``. A network's activations are allocated and
    freed on every pass, so every pass page-faults (and the kernel zeroes) its whole
    working set again. With ``M_MMAP_MAX = 0`` (no mmap blocks), ``M_TRIM_THRESHOLD = -1``
    (never give the heap back) and ``M_TOP_PAD`` of 1 GiB (grow the heap's address space in
    large steps, so blocks freed at its top are found again instead of the top moving) a
    warm pass reuses the heap (docs/benchmarks/cpu_speed.md has the timings).

    The cost: the process keeps its peak resident memory, and the heap needs a few passes
    to settle: torch allocates with ``posix_memalign``, whose request is a few bytes larger
    than the block an identical tensor freed, so a freed block is reused only once it has
    merged with a free neighbour. Hence the training, test and benchmark tools call this,
    and ``tools/deblur_video.py``, whose memory plan leaves a measured margin for small
    containers, does not. Call it before the large allocations; it applies once per
    process. Returns whether it is in effect (False outside glibc Linux).
    """
    global _applied
    if _applied:
        return True
    if not sys.platform.startswith('linux'):
        return False
    try:
        libc = ctypes.CDLL('libc.so.6')
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _applied = (mallopt(_M_MMAP_MAX, 0) == 1 and mallopt(_M_TRIM_THRESHOLD, -1) == 1
                and mallopt(_M_TOP_PAD, _TOP_PAD) == 1)
    return _applied
