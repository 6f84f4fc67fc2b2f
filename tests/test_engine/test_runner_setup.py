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


def test_setup_without_launcher_changes_nothing():
    cfg = Config(dict(model=dict(type='X')))
    setup_distributed(cfg, 'none')
    assert 'env_cfg' not in cfg and 'model_wrapper_cfg' not in cfg
    assert not dist.is_initialized()
