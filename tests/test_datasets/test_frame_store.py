"""The frame store gives the same samples as decoding the PNGs, without decoding."""
import json
import os
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from fst_plugin.datasets import VideoDeblurDataset, build_frame_store

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = Config.fromfile(osp.join(ROOT, 'configs', '_base_', 'datasets', 'gopro.py'))


def pipelines(crop):
    png = [dict(t, gt_patch_size=crop) if t['type'] == 'PairedRandomCrop' else t
           for t in BASE.train_pipeline]
    store = [dict(BASE.store_train_pipeline[0], gt_patch_size=crop)] + \
        list(BASE.store_train_pipeline[1:])
    return png, store


def test_arrays_hold_the_decoded_frames(tiny_gopro, tiny_gopro_store):
    seq = sorted(os.listdir(osp.join(tiny_gopro, 'train')))[0]
    meta = json.load(open(osp.join(tiny_gopro_store, 'train', seq, 'frames.json')))
    names = sorted(os.listdir(osp.join(tiny_gopro, 'train', seq, 'sharp')))
    assert meta['frames'] == [osp.splitext(n)[0] for n in names]
    assert meta['size'] == [40, 48] and meta['folders'] == ['blur', 'blur_gamma', 'sharp']
    for folder in ('blur', 'blur_gamma', 'sharp'):
        array = np.load(osp.join(tiny_gopro_store, 'train', seq, f'{folder}.npy'))
        assert array.dtype == np.uint8 and array.shape == (len(names), 40, 48, 3)
        for i, name in enumerate(names):
            png = cv2.imread(osp.join(tiny_gopro, 'train', seq, folder, name))[..., ::-1]
            np.testing.assert_array_equal(array[i], png)


@pytest.mark.parametrize('kind', ['center', 'trailing_all'])
def test_same_crops_as_decoding_for_the_same_seed(tiny_gopro, tiny_gopro_store, kind):
    png_pipe, store_pipe = pipelines(crop=24)
    extra = dict(window='trailing', gt_frames='all') if kind == 'trailing_all' else {}
    common = dict(data_root=tiny_gopro, split='train', num_input_frames=5, **extra)
    png = VideoDeblurDataset(pipeline=png_pipe, **common)
    store = VideoDeblurDataset(pipeline=store_pipe, frame_store=tiny_gopro_store, **common)
    assert len(png) == len(store) == 12
    crops = set()
    for i in range(len(png)):
        np.random.seed(i)
        a = png[i]
        np.random.seed(i)
        b = store[i]
        assert torch.equal(a['inputs'], b['inputs'])
        assert torch.equal(a['data_samples'].gt_img, b['data_samples'].gt_img)
        assert b['inputs'].shape == (5, 3, 24, 24)
        crops.add(a['inputs'][0, :, 0, 0].sum().item())
    assert len(crops) > 1  # the seeds drew different crops


def test_whole_frames_for_testing_and_whole_sequences(tiny_gopro, tiny_gopro_store):
    from mmagic.registry import DATASETS
    for window in ('center', 'sequence'):
        common = dict(type='VideoDeblurDataset', data_root=tiny_gopro, split='test',
                      window=window, test_mode=True)
        png = DATASETS.build(dict(common, pipeline=BASE.test_pipeline))
        store = DATASETS.build(dict(common, frame_store=tiny_gopro_store, pipeline=[
            dict(type='LoadFramesFromStore')] + BASE.test_pipeline[2:]))
        a, b = png[len(png) - 1], store[len(store) - 1]
        assert torch.equal(a['inputs'], b['inputs'])
        assert torch.equal(a['data_samples'].gt_img, b['data_samples'].gt_img)


def test_rebuild_skips_complete_sequences_and_stale_stores_raise(tiny_gopro, tmp_path):
    store = str(tmp_path / 'store')
    first = build_frame_store(tiny_gopro, store, splits=['test'], blur_types=['blur'],
                              log=lambda *a: None)
    assert first == dict(frames=12, sequences=1, skipped=0)  # 6 blurry + 6 sharp
    again = build_frame_store(tiny_gopro, store, splits=['test'], blur_types=['blur'],
                              log=lambda *a: None)
    assert again == dict(frames=0, sequences=0, skipped=1)
    with pytest.raises(FileNotFoundError, match="no 'blur_gamma' frames"):
        VideoDeblurDataset(data_root=tiny_gopro, split='test', blur_type='blur_gamma',
                           frame_store=store)
    with pytest.raises(FileNotFoundError, match='build_frame_store.py'):
        VideoDeblurDataset(data_root=tiny_gopro, split='train', frame_store=store)
    # the PNG tree changed after the store was built: a frame less
    data = str(tmp_path / 'data')
    shutil.copytree(tiny_gopro, data)
    seq = os.listdir(osp.join(data, 'test'))[0]
    for folder in ('blur', 'blur_gamma', 'sharp'):
        last = sorted(os.listdir(osp.join(data, 'test', seq, folder)))[-1]
        os.remove(osp.join(data, 'test', seq, folder, last))
    with pytest.raises(ValueError, match='rebuild the store'):
        VideoDeblurDataset(data_root=data, split='test', frame_store=store)


def test_crop_larger_than_the_frames_names_the_array(tiny_gopro, tiny_gopro_store):
    _, store_pipe = pipelines(crop=64)  # frames are 48x40
    ds = VideoDeblurDataset(data_root=tiny_gopro, split='train', frame_store=tiny_gopro_store,
                            pipeline=store_pipe)
    with pytest.raises(ValueError, match=r'blur.npy are 48x40, smaller than the crop 64x64'):
        ds[0]


def test_build_tool(tiny_gopro, tmp_path, capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'build_frame_store', osp.join(ROOT, 'tools', 'dataset_converters',
                                       'build_frame_store.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tool.main([tiny_gopro, str(tmp_path / 'store'), '--splits', 'test'])
    out = capsys.readouterr().out
    assert '18 frames to store' in out and 'done: 18 frames decoded in 1 sequences' in out
    with pytest.raises(SystemExit, match='is not a folder'):
        tool.main([str(tmp_path / 'nowhere'), str(tmp_path / 's2')])
