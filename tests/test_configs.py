"""Every config under configs/ loads, and its model and datasets build (tiny overrides)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmagic.registry import DATASETS, MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


def test_headline_configs_exist():
    names = {osp.relpath(p, osp.join(ROOT, 'configs')) for p in CONFIGS}
    assert {'fst_gopro.py', 'fst_demo.py'} <= names


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_builds(path, tiny_gopro):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmagic'
    assert cfg.custom_imports['imports'] == ['fst_plugin']
    assert cfg.get('experiment_name') and cfg.get('work_dir')
    model = MODELS.build(cfg.model)
    gen = cfg.model.generator
    t = gen.get('num_frames', 5)
    with torch.no_grad():
        out = model.forward_tensor(torch.rand(1, t, 3, 12, 12))
    assert out.shape == (1, 3, 12, 12)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if loader == 'val_dataloader' and cfg.get(loader) is None:
            continue  # configs that keep no "best" checkpoint do not validate
        ds_cfg = cfg[loader].dataset
        for sub in ds_cfg.get('datasets', [ds_cfg]):  # a ConcatDataset lists its parts
            sub.data_root = tiny_gopro
        ds = DATASETS.build(ds_cfg)
        assert len(ds) > 0
        assert len(ds.get_data_info(0)['img_path']) == t


def test_paper_protocol_in_fst_gopro():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fst_gopro.py'))
    assert cfg.train_dataloader.batch_size == 8
    crop = [t for t in cfg.train_dataloader.dataset.pipeline if t.type == 'PairedRandomCrop']
    assert crop[0].gt_patch_size == 256
    assert cfg.optim_wrapper.optimizer.type == 'Adam' and cfg.optim_wrapper.optimizer.lr == 1e-4
    # halved every 200 epochs of GOPRO train (2103 frames / batch 8 = 263 iterations)
    assert cfg.param_scheduler.type == 'StepLR' and cfg.param_scheduler.gamma == 0.5
    assert cfg.param_scheduler.step_size == 200 * 263
    assert cfg.train_dataloader.dataset.num_input_frames == 5
    assert cfg.test_dataloader.dataset.get('target_interval', 1) == 1  # every test frame
