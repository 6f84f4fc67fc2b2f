import glob
import sys

import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from fst_plugin.engine import setup_distributed, teardown_distributed


def test_teardown_destroys_a_live_gloo_group_and_is_a_no_op_without_one(tmp_path):
    teardown_distributed()  # nothing initialised: must not raise
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0,
                            world_size=1)
    try:
        t = torch.ones(2)
        dist.all_reduce(t)  # the group works before teardown
        assert t.tolist() == [1.0, 1.0]
        teardown_distributed()
        assert not dist.is_initialized()
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    teardown_distributed()  # a second call stays a no-op


def _gloo_threads():
    names = []
    for comm in glob.glob('/proc/self/task/*/comm'):
        try:
            names.append(open(comm).read().strip())
        except OSError:  # the thread ended while we listed them
            pass
    return [n for n in names if 'gloo' in n]


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='thread names from /proc')
def test_teardown_joins_gloo_threads_held_by_an_unreachable_runner(tmp_path):
    """A finished Runner sits in reference cycles and its DDP wrapper holds the group:
    destroying the group alone leaves gloo's threads running into interpreter shutdown
    (where a 2-process dist_test aborted); teardown must join them."""
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0,
                            world_size=1)
    try:
        runner = {'model': torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2))}
        runner['self'] = runner  # a reference cycle, as a Runner's hooks make
        runner['model'](torch.ones(1, 2)).sum().backward()
        del runner
        assert _gloo_threads(), 'a live gloo group runs threads'
        teardown_distributed()
        assert not dist.is_initialized()
        assert _gloo_threads() == []
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def test_setup_without_launcher_changes_nothing():
    cfg = Config(dict(model=dict(type='X')))
    setup_distributed(cfg, 'none')
    assert 'env_cfg' not in cfg and 'model_wrapper_cfg' not in cfg
    assert not dist.is_initialized()


def test_time_budget_adds_one_hook_and_keeps_the_others():
    from fst_plugin.engine import set_time_budget
    cfg = Config(dict(custom_hooks=[dict(type='EMAHook'),
                                    dict(type='TrainTimeBudgetHook', minutes=5)]))
    set_time_budget(cfg, 60)
    assert cfg.custom_hooks == [dict(type='EMAHook'),
                                dict(type='TrainTimeBudgetHook', minutes=60)]
    bare = Config(dict())
    set_time_budget(bare, 1.5)
    assert bare.custom_hooks == [dict(type='TrainTimeBudgetHook', minutes=1.5)]
    with pytest.raises(ValueError, match='--time-budget'):
        set_time_budget(bare, 0)
