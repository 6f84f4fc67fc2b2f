"""SynthesizedFootageDataset: clips cut from sequences synthesized while training runs."""
import json

import numpy as np
import pytest

from fst_plugin.datasets import SynthesizedFootageDataset

TINY = dict(size=(48, 32), max_side=64, frames_per_seq=4, avg_range=(2, 3),
            real_avg_range=(2, 3))


@pytest.fixture(scope='module')
def footage(tiny_footage):
    """'street' to train on, 'cup' held out, 'tree' validation-only (tests/conftest.py)."""
    return tiny_footage


def _dataset(footage, **kwargs):
    kwargs.setdefault('recipe', TINY)
    return SynthesizedFootageDataset(footage, length=20, **kwargs)


def test_samples_come_only_from_training_clips(footage):
    ds = _dataset(footage, samples_per_sequence=2, pool_size=2)
    assert len(ds) == 20
    sources = set()
    for i in range(12):
        info = ds.get_data_info(i)
        assert len(info['img']) == 5 and info['img'][0].shape == (32, 48, 3)
        assert info['gt'].shape == (32, 48, 3) and info['gt'].dtype == np.uint8
        sources.add(info['synthesis']['source'])
    # procedural scenes and the one training clip; never the held-out or validation clips
    assert sources <= {'street.avi', 'procedural'} and 'street.avi' in sources


def test_pool_gets_new_sequences_and_stays_bounded(footage):
    ds = _dataset(footage, samples_per_sequence=3, pool_size=2,
                  mix=[('footage', 1.0, dict())])
    for i in range(14):
        ds.get_data_info(i)
    # two to fill the pool, then one new sequence every 3 samples
    assert ds._made == 2 + (14 - 2) // 3
    assert len(ds.pool_summary()) == 2
    assert [s['meta']['index'] for s in ds._pool] == [ds._made - 2, ds._made - 1]


def test_sharp_input_and_frame_intervals(footage):
    ds = _dataset(footage, sharp_prob=1.0, frame_intervals=(2, ), pool_size=1,
                  samples_per_sequence=100, mix=[('procedural', 1.0, dict(source='procedural'))])
    for i in range(6):
        info = ds.get_data_info(i)
        sharp = ds._pool[0]['sharp']
        centre = int(info['frame'])
        assert info['synthesis']['sharp_input'] and info['synthesis']['frame_interval'] == 2
        np.testing.assert_array_equal(info['img'][2], info['gt'])
        expected = sharp[min(centre + 2, len(sharp) - 1)]
        np.testing.assert_array_equal(info['img'][3], expected)


def test_blurry_input_differs_from_its_target(footage):
    ds = _dataset(footage, mix=[('footage', 1.0, dict(camera_share=1.0, blur_px=(6, 8)))])
    info = ds.get_data_info(0)
    assert not info['synthesis']['sharp_input']
    assert np.abs(info['img'][2].astype(int) - info['gt'].astype(int)).mean() > 1


def test_pipeline_crops_and_packs(footage):
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = _dataset(footage, pipeline=[
            dict(type='PairedRandomShrunkCrop', gt_patch_size=16, shrink_prob=0.5),
            dict(type='PackInputs')])
        sample = ds[0]
    assert tuple(sample['inputs'].shape) == (5, 3, 16, 16)
    assert tuple(sample['data_samples'].gt_img.shape) == (3, 16, 16)


def test_procedural_mix_needs_no_footage(tmp_path):
    ds = SynthesizedFootageDataset(str(tmp_path / 'nothing'), length=3, recipe=TINY,
                                   mix=[('procedural', 1.0, dict(source='procedural'))])
    assert ds.get_data_info(0)['synthesis']['mode'] == 'procedural'


def test_bad_input_is_named(footage, tmp_path):
    with pytest.raises(FileNotFoundError, match='footage.json'):
        SynthesizedFootageDataset(str(tmp_path), recipe=TINY)
    folder = tmp_path / 'broken'
    folder.mkdir()
    with open(folder / 'footage.json', 'w') as f:
        json.dump(dict(street=dict(path=str(folder / 'street.avi'))), f)
    with pytest.raises(FileNotFoundError, match='street.avi'):
        SynthesizedFootageDataset(str(folder), recipe=TINY)
    with pytest.raises(ValueError, match='num_input_frames'):
        _dataset(footage, num_input_frames=4)
    with pytest.raises(ValueError, match='frame_intervals'):
        _dataset(footage, frame_intervals=(0, ))
    with pytest.raises(ValueError, match='mix'):
        _dataset(footage, mix=[('footage', 0.0, dict())])


def test_workers_of_different_ranks_make_different_sequences(footage, monkeypatch):
    import mmengine.dist
    firsts = []
    for rank in (0, 1):
        monkeypatch.setattr(mmengine.dist, 'get_rank', lambda group=None, r=rank: r)
        ds = _dataset(footage, pool_size=1, mix=[('procedural', 1.0, dict(source='procedural'))])
        ds.get_data_info(0)
        firsts.append(ds._pool[0]['meta']['scene_seed'])
    assert firsts[0] != firsts[1]
