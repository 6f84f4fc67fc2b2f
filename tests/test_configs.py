"""Every config under configs/ loads, and its model and datasets build (tiny overrides)."""
import glob
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmagic.registry import DATASETS, MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


MODEL_FOLDERS = ('fst', 'edvr_deblur', 'stfan', 'ablations')
# short names users type, each a two-line alias of a config in a model folder
ALIASES = {'fst_gopro.py': 'fst/fst_1xb8-1000e_gopro.py',
           'fst_demo.py': 'fst/fst-half_1xb4-900i_demo.py',
           'edvr_gopro.py': 'edvr_deblur/edvr-deblur_1xb8-1000e_gopro.py',
           'stfan_gopro.py': 'stfan/stfan_1xb8-1000e_gopro.py'}


def test_configs_live_in_model_folders():
    """configs/ holds model folders, the base files and the short aliases only."""
    names = {osp.relpath(p, osp.join(ROOT, 'configs')) for p in CONFIGS}
    top = {n for n in names if '/' not in n}
    assert top == set(ALIASES)
    assert {n.split('/')[0] for n in names if '/' in n} == set(MODEL_FOLDERS)


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_short_names_are_the_model_folder_configs(alias):
    short = Config.fromfile(osp.join(ROOT, 'configs', alias)).to_dict()
    full = Config.fromfile(osp.join(ROOT, 'configs', ALIASES[alias])).to_dict()
    for cfg in (short, full):
        cfg.pop('experiment_name'), cfg.pop('work_dir')
    assert short == full


@pytest.mark.parametrize('folder', MODEL_FOLDERS)
def test_each_model_folder_has_readme_and_metafile(folder):
    """Every config of the folder is described in its README and listed in its metafile,
    and every path the metafile names exists."""
    import yaml
    path = osp.join(ROOT, 'configs', folder)
    readme = open(osp.join(path, 'README.md')).read()
    meta = yaml.safe_load(open(osp.join(path, 'metafile.yml')))
    listed = {m['Config'] for m in meta['Models']}
    configs = {osp.relpath(p, ROOT) for p in glob.glob(osp.join(path, '*.py'))}
    assert listed == configs, folder
    for config in configs:
        assert osp.basename(config) in readme, config
    for model in meta['Models']:
        weights = model.get('Weights')
        if weights:
            assert osp.isfile(osp.join(ROOT, weights)), weights


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_builds(path, tiny_gopro, tiny_gopro_store, tiny_photos, tiny_footage):
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
            if 'num_frames' in gen:  # a window network: one input per window frame
                assert sub.num_input_frames == gen.num_frames, (path, loader)
            if sub.type == 'CameraShakePhotoDataset':  # clips made from photographs
                sub.photo_index = tiny_photos
                sub.crop_size = 12
                continue
            if sub.type == 'SynthesizedFootageDataset':  # sequences made from clips
                sub.footage = tiny_footage
                sub.recipe = dict(sub.get('recipe', {}), size=(48, 32), max_side=64,
                                  frames_per_seq=4)
                continue
            sub.data_root = tiny_gopro
            if sub.get('frame_store'):
                sub.frame_store = tiny_gopro_store
            if sub.get('sequences'):  # GOPRO_Large's held-out names: one tiny sequence
                sub.sequences = sorted(os.listdir(osp.join(tiny_gopro, sub.split)))[:1]
        ds = DATASETS.build(ds_cfg)
        assert len(ds) > 0
        for index in (0, len(ds) - 1):  # the first and last part of a ConcatDataset
            info = ds.get_data_info(index)
            # whole-sequence testing (recurrent models): a sample is every frame of a sequence
            clip = len(info['frame']) if ds_cfg.get('window') == 'sequence' else t
            # a clip made in memory holds its frames, one read from disk their paths
            assert len(info['img'] if 'img' in info else info['img_path']) == clip


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


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_model_selection_never_sees_the_test_split(path):
    """A config that keeps a "best" checkpoint validates on training sequences that its
    training set leaves out; one that validates on the test split keeps no "best"."""
    cfg = Config.fromfile(path)
    best = cfg.default_hooks.checkpoint.get('save_best')
    val = cfg.get('val_dataloader')
    if not best:
        return
    assert val is not None and cfg.get('val_cfg') is not None
    assert val.dataset.split == 'train' and val.dataset.sequences
    train = cfg.train_dataloader.dataset
    assert train.split == 'train'
    assert set(val.dataset.sequences) <= set(train.get('exclude_sequences') or []), (
        'validation sequences are also trained on')
    assert cfg.test_dataloader.dataset.split == 'test'


def test_store_config_differs_from_fst_gopro_only_in_how_crops_are_read():
    gopro = Config.fromfile(osp.join(ROOT, 'configs', 'fst_gopro.py'))
    store = Config.fromfile(osp.join(ROOT, 'configs', 'fst', 'fst_1xb8-1000e_gopro-store.py'))
    png_pipe, store_pipe = (c.train_dataloader.dataset.pipeline for c in (gopro, store))
    assert [t.type for t in png_pipe[:3]] == ['LoadImageFromFile', 'LoadImageFromFile',
                                              'PairedRandomCrop']
    assert store_pipe[0] == dict(type='LoadFramesFromStore',
                                 gt_patch_size=png_pipe[2].gt_patch_size)
    assert store_pipe[1:] == png_pipe[3:]
    assert store.model == gopro.model and store.optim_wrapper == gopro.optim_wrapper


def test_train_pipelines_differ_from_the_base_only_in_intended_keys():
    """Configs derive their training pipeline from the base one (to change the crop) and must
    stay the base pipeline otherwise: an augmentation changed in _base_/datasets/gopro.py and missed in a
    copy would silently make a comparison unlike-for-like. Allowed: the crop size; datasets
    with a sharp frame per clip frame (STFAN) reverse them with the blurry ones; the store
    config reads crops differently (tested above); the shipped recipe's config crops with
    ``PairedRandomShrunkCrop`` and adds ``RandomStillScene`` right after it."""
    base = Config.fromfile(osp.join(ROOT, 'configs', '_base_', 'datasets', 'gopro.py'))
    reference = base.train_dataloader.dataset.pipeline
    checked = 0
    for path in CONFIGS:
        if path.endswith('gopro-store.py'):
            continue
        cfg = Config.fromfile(path)
        dataset = cfg.train_dataloader.dataset
        for sub in dataset.get('datasets', [dataset]):
            pipeline = [dict(t) for t in sub.pipeline]
            types = [t['type'] for t in pipeline]
            if 'PairedRandomShrunkCrop' in types:
                crop = types.index('PairedRandomShrunkCrop')
                assert types[crop + 1] == 'RandomStillScene', path
                pipeline[crop] = dict(type='PairedRandomCrop',
                                      gt_patch_size=pipeline[crop]['gt_patch_size'])
                del pipeline[crop + 1]
            expected = reference
            if sub.type == 'CameraShakePhotoDataset':  # the dataset makes the crop itself
                expected = [t for t in reference
                            if t['type'] not in ('LoadImageFromFile', 'PairedRandomCrop')]
            if sub.type == 'SynthesizedFootageDataset':  # frames made in memory, not read
                expected = [t for t in reference if t['type'] != 'LoadImageFromFile']
            assert len(pipeline) == len(expected), path
            for step, (got, want) in enumerate(zip(pipeline, expected)):
                want = dict(want)
                if want['type'] == 'PairedRandomCrop':
                    assert got['gt_patch_size'] in (64, 96, 160, 224, 256), path
                    want['gt_patch_size'] = got['gt_patch_size']
                if want['type'] == 'TemporalReverse' and sub.get('gt_frames') == 'all':
                    want['keys'] = ['img', 'gt']
                assert got == want, f'{path}: step {step} {got} != {want}'
            checked += 1
    assert checked >= 15


def test_shipped_recipe_config_runs_its_pipeline(tiny_gopro):
    """The shipped recipe's training samples, read through its own pipeline from a tiny
    GOPRO-layout folder: shrunk crops and still scenes happen at about their shares."""
    import numpy as np
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fst',
                                   'fst-local-path_1xb4-850i_footage-stills-shrunk.py'))
    blurry = cfg.train_dataloader.dataset.datasets[0]
    blurry.data_root = tiny_gopro
    for step in blurry.pipeline:
        if step.type == 'PairedRandomShrunkCrop':
            step.gt_patch_size = 24  # tiny frames are 48x40
    ds = DATASETS.build(blurry)
    np.random.seed(0)
    still = 0
    for i in range(40):
        sample = ds[i % len(ds)]
        assert sample['inputs'].shape == (5, 3, 24, 24)
        assert sample['data_samples'].gt_img.shape[-2:] == (24, 24)
    # RandomStillScene marks what it replaced before PackInputs drops the key
    pipe = ds.pipeline.transforms
    shrink, stills = pipe[2], pipe[3]
    assert (shrink.shrink_prob, shrink.min_scale, stills.prob) == (0.3, 0.6, 0.25)
    for _ in range(200):
        results = dict(img=[np.zeros((40, 48, 3), np.uint8)] * 5,
                       gt=np.zeros((40, 48, 3), np.uint8), scale=1)
        still += stills(shrink(results))['still_scene']
    assert 25 < still < 75
