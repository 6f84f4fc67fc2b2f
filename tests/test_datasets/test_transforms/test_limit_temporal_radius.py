import importlib.util
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from fst_plugin.datasets import LimitTemporalRadius
from mmagic.registry import TRANSFORMS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def frames(t):
    return [np.full((2, 3, 3), i, np.uint8) for i in range(t)]


@pytest.mark.parametrize('radius, expected', [(0, [2, 2, 2, 2, 2]), (1, [1, 1, 2, 3, 3]),
                                              (2, [0, 1, 2, 3, 4]), (7, [0, 1, 2, 3, 4])])
def test_far_frames_replicate_the_nearest_kept_one(radius, expected):
    clip = frames(5)
    out = LimitTemporalRadius(radius=radius)(dict(img=clip, gt=clip[2]))['img']
    assert [int(f[0, 0, 0]) for f in out] == expected
    assert all(o is clip[i] for o, i in zip(out, expected))  # shared, not copied


def test_built_from_the_registry_and_checks_its_input():
    transform = TRANSFORMS.build(dict(type='LimitTemporalRadius', keys=['img'], radius=0))
    assert 'radius=0' in repr(transform)
    with pytest.raises(ValueError, match='4 frames'):
        transform(dict(img=frames(4)))
    with pytest.raises(TypeError, match=r"results\['img'\].*ndarray"):
        transform(dict(img=frames(1)[0]))
    with pytest.raises(ValueError, match='radius must be an integer >= 0, got -1'):
        LimitTemporalRadius(radius=-1)


def test_test_tool_inserts_it_before_packing():
    # tools/test.py by path: the name `test` is taken by the standard library's package
    spec = importlib.util.spec_from_file_location('fst_test_tool', osp.join(ROOT, 'tools',
                                                                           'test.py'))
    test_tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(test_tool)
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fst_demo.py'))
    test_tool.insert_temporal_radius(cfg.test_dataloader.dataset, 1)
    types = [step['type'] for step in cfg.test_dataloader.dataset.pipeline]
    assert types[-2:] == ['LimitTemporalRadius', 'PackInputs']
    assert cfg.test_dataloader.dataset.pipeline[-2]['radius'] == 1
    cfg.test_dataloader.dataset.pipeline = cfg.test_dataloader.dataset.pipeline[:-2]
    with pytest.raises(ValueError, match='no PackInputs'):
        test_tool.insert_temporal_radius(cfg.test_dataloader.dataset, 0)
    # --frame-interval, the other test-time ablation of the neighbours
    test_tool.set_frame_interval(cfg.test_dataloader.dataset, 2)
    assert cfg.test_dataloader.dataset.frame_interval == 2
    with pytest.raises(ValueError, match='must be >= 1, got 0'):
        test_tool.set_frame_interval(cfg.test_dataloader.dataset, 0)
    cfg.test_dataloader.dataset.window = 'sequence'
    with pytest.raises(ValueError, match='--recurrent-mode window'):
        test_tool.set_frame_interval(cfg.test_dataloader.dataset, 2)
