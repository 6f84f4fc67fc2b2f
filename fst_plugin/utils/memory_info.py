"""What memory a process has and uses: the system's and its cgroup's headroom, a device's
free memory, and the peak that a call adds."""
import ctypes
import gc
import os.path as osp
from typing import Callable, List, Optional

import torch

_NO_LIMIT = 2**60  # cgroup v1 writes "no limit" as a number near 2**63


def _read(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _stat_field(text: Optional[str], field: str) -> int:
    for line in (text or '').splitlines():
        key, _, value = line.partition(' ')
        if key == field:
            return int(value)
    return 0


def _cgroup_dirs(root: str, path: str) -> List[str]:
    """``root/path`` and its parents up to ``root`` (limits of ancestors apply too)."""
    parts = [p for p in path.strip('/').split('/') if p]
    return [osp.join(root, *parts[:n]) for n in range(len(parts), -1, -1)]


def cgroup_headroom(proc_root: str = '/proc',
                    cgroup_root: str = '/sys/fs/cgroup') -> Optional[int]:
    """Bytes this process's memory cgroup can still grow by, or None without a limit.

    cgroup v2 (``memory.max``, ``memory.current``) and v1 (``memory.limit_in_bytes``,
    ``memory.usage_in_bytes``) are read for the process's cgroup and every ancestor that
    is visible; reclaimable page cache (``inactive_file``) does not count as used. The
    smallest headroom wins.
    """
    text = _read(osp.join(proc_root, 'self', 'cgroup'))
    if text is None:
        return None
    headrooms = []
    for line in text.splitlines():
        fields = line.split(':', 2)
        if len(fields) != 3:
            continue
        _, controllers, path = fields
        if controllers == '':  # v2 unified hierarchy
            files, root = ('memory.max', 'memory.current', 'inactive_file'), cgroup_root
        elif 'memory' in controllers.split(','):  # v1 memory controller
            files = ('memory.limit_in_bytes', 'memory.usage_in_bytes', 'total_inactive_file')
            root = osp.join(cgroup_root, 'memory')
        else:
            continue
        limit_file, usage_file, inactive_field = files
        for d in _cgroup_dirs(root, path):
            limit = _read(osp.join(d, limit_file))
            if limit is None or limit == 'max' or int(limit) >= _NO_LIMIT:
                continue
            usage = int(_read(osp.join(d, usage_file)) or 0)
            inactive = _stat_field(_read(osp.join(d, 'memory.stat')), inactive_field)
            headrooms.append(max(int(limit) - max(usage - inactive, 0), 0))
    return min(headrooms) if headrooms else None


def available_memory(device='cpu', proc_root: str = '/proc',
                     cgroup_root: str = '/sys/fs/cgroup') -> Optional[int]:
    """Bytes this process can still allocate on ``device``; None where it cannot be read.

    CPU: the smaller of the system's ``MemAvailable`` and the memory cgroup's headroom
    (:func:`cgroup_headroom`). CUDA: the device's free memory plus what PyTorch's caching
    allocator holds unused.
    """
    device = torch.device(device)
    if device.type == 'cuda':
        free, _ = torch.cuda.mem_get_info(device)
        return free + torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
    meminfo = _read(osp.join(proc_root, 'meminfo'))
    system = None
    for line in (meminfo or '').splitlines():
        if line.startswith('MemAvailable:'):
            system = int(line.split()[1]) * 1024
    limits = [m for m in (system, cgroup_headroom(proc_root, cgroup_root)) if m is not None]
    return min(limits) if limits else None


def proc_kb(field: str, path: str = '/proc/self/status') -> Optional[int]:
    """A ``kB`` field of a Linux ``/proc`` file (``VmHWM`` of ``/proc/self/status``,
    ``MemAvailable`` of ``/proc/meminfo``); None where it cannot be read."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _release_free_heap() -> None:
    """Give freed heap pages back to the OS (glibc), so an earlier run's freed memory
    does not hide the next run's peak."""
    try:
        ctypes.CDLL('libc.so.6').malloc_trim(0)
    except (OSError, AttributeError):
        pass


def peak_memory_mb(fn: Callable[[], object], device='cpu',
                   full_gc: bool = True) -> Optional[float]:
    """Peak memory that ``fn()`` adds on top of what is allocated before it, in MiB.

    CUDA: ``torch.cuda.max_memory_allocated`` (tensors only). CPU: the process's peak
    resident set (``VmHWM``, reset through ``/proc/self/clear_refs``) minus its resident
    set before the call, after returning freed heap pages to the OS (glibc
    ``malloc_trim``), so runs measured one after another in a process do not hide each
    other; None where Linux ``/proc`` is not available. ``full_gc=False`` collects only
    the young generations first (faster with many objects alive).
    """
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        base = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        fn()
        torch.cuda.synchronize()
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    gc.collect() if full_gc else gc.collect(1)
    _release_free_heap()
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the peak-RSS counter (Linux >= 4.0)
    except OSError:
        return None
    base = proc_kb('VmRSS')
    fn()
    peak = proc_kb('VmHWM')
    return None if base is None or peak is None else max(peak - base, 0) / 1024
