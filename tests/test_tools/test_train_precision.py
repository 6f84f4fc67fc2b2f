"""tools/train.py picks its precision from the CPU's flags (faked) unless told."""
import sys

import pytest
import torch

@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU choice of --amp auto')
def test_train_tool_picks_bf16_only_with_the_units(fake_cpu, tiny_gopro, tmp_path, run_tool):
    from test_train_test_tools import demo_options
    opts = demo_options(tiny_gopro, 'train_cfg.max_iters=1', 'train_cfg.val_interval=1000',
                        'param_scheduler.T_max=1')
    fake_cpu('amx')
    out = run_tool([sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir',
                    str(tmp_path / 'amx')] + opts)
    assert 'precision bf16 (--amp auto)' in out and "type='AutocastOptimWrapper'" in out
    fake_cpu('plain')
    out = run_tool([sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir',
                    str(tmp_path / 'plain')] + opts)
    assert 'precision fp32 (--amp auto)' in out and 'AutocastOptimWrapper' not in out
