import os.path as osp
import subprocess
import sys

import pytest

import fst_plugin.utils.allocator as allocator_module

# the module alone (importing the package would import MMagic: ~8 s per process)
SCRIPT = '''
import importlib.util, resource, sys
import torch
spec = importlib.util.spec_from_file_location('allocator', sys.argv[2])
allocator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(allocator)
keep_freed_memory = allocator.keep_freed_memory
if sys.argv[1] == 'keep':
    assert keep_freed_memory() and keep_freed_memory()  # applies once, stays in effect
x = torch.ones(64, 2**18)  # 64 MiB, above glibc's largest mmap threshold
# torch allocates with posix_memalign, so a freed block is a few bytes short of the next
# request until it merges with its neighbours: the kept heap settles within ~10 passes
# (40 of 40 runs here), so warm up for 20
for _ in range(20):
    y = x * 2
    del y
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    y = x * 2
    del y
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
'''


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='glibc malloc only')
def test_freed_blocks_are_reused_without_page_faults():
    """Ten 64 MiB allocations after a warm-up: by default each one maps and faults 16k
    fresh pages; with the freed memory kept they reuse the heap and fault (almost) never
    (one block faulted again would be 16k faults, ten times the bound)."""
    faults = {}
    for mode in ('glibc', 'keep'):
        out = subprocess.run([sys.executable, '-c', SCRIPT, mode, osp.abspath(allocator_module.__file__)], capture_output=True,
                             text=True, check=True)
        faults[mode] = int(out.stdout.strip().splitlines()[-1])
    pages = 10 * 64 * 2**20 // 4096
    assert faults['glibc'] > pages // 2, faults
    assert faults['keep'] < pages // 50, faults
