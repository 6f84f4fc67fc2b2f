"""Fixtures of the tool tests: running a tool as a user would, in a child process."""
import os
import os.path as osp
import subprocess
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def run_tool_process(args, cwd=ROOT, timeout=300):
    """Run ``args`` from the repository root with the package importable and one thread;
    assert exit status 0 (showing the output's end otherwise) and return stdout + stderr."""
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHON=sys.executable, OMP_NUM_THREADS='1',
               NO_ALBUMENTATIONS_UPDATE='1', PYTHONWARNINGS='ignore')
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


@pytest.fixture(scope='session')
def run_tool():
    """:func:`run_tool_process`: ``run_tool([sys.executable, 'tools/test.py', ...])``."""
    return run_tool_process
