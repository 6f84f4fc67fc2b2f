"""Tiny trained-looking models and frames for the inference API tests (fixtures)."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import save_checkpoint

from mmagic.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GENERATORS = {
    'fst': dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),
                num_dense_layers=1, num_decoder_blocks=(1, 1, 1)),
    # one scale: a receptive field well inside the tile overlap
    'fst_1scale': dict(type='FSTNet', mid_channels=(8, ), growth_channels=(4, ),
                       num_dense_layers=1, num_decoder_blocks=(1, ),
                       fusion=dict(type='ConcatConvFusion')),
    'fsta_1scale': dict(type='FSTNet', mid_channels=(8, ), growth_channels=(4, ),
                        num_dense_layers=1, num_decoder_blocks=(1, )),
    'edvr': dict(type='EDVRDeblurNet', mid_channels=8, deform_groups=2,
                 num_blocks_extraction=1, num_blocks_reconstruction=1),
    'stfan': dict(type='STFANNet', channels=(4, 8, 8)),
}


def _make_model(tmp_path, name):
    """A config + checkpoint of a tiny network with a non-trivial (non-identity) output."""
    base = 'stfan/stfan-s_1xb4-900i_demo.py' if name == 'stfan' else 'fst_demo.py'
    cfg = Config.fromfile(osp.join(ROOT, 'configs', base))
    cfg.model.generator = GENERATORS[name]
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    path = str(tmp_path / f'{name}.pth')
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), path)
    return cfg, path, model.generator.eval()


def _frames(n=6, h=20, w=28, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (h, w, 3)).astype(np.float32)
    return [np.clip(base + rng.normal(0, 20, base.shape), 0, 255).astype(np.uint8)
            for _ in range(n)]



@pytest.fixture
def make_model():
    """``make_model(tmp_path, name) -> (cfg, checkpoint, generator)`` of GENERATORS[name]."""
    return _make_model


@pytest.fixture
def frames():
    """``frames(n, h, w, seed)``: a noisy RGB uint8 video (list of (h, w, 3))."""
    return _frames
