"""CameraShakePhotoDataset: clips made per sample from the training photographs only."""
import numpy as np
import pytest
import torch

from mmagic.registry import DATASETS

PIPELINE = [dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
            dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name'])]


def build(index, **kwargs):
    cfg = dict(type='CameraShakePhotoDataset', photo_index=index, crop_size=32, length=6,
               pipeline=PIPELINE)
    return DATASETS.build(dict(cfg, **kwargs))


def test_samples_pack_like_a_gopro_clip(tiny_photos):
    ds = build(tiny_photos)
    assert len(ds) == 6
    sample = ds[0]
    assert sample['inputs'].shape == (5, 3, 32, 32) and sample['inputs'].dtype == torch.uint8
    assert sample['data_samples'].gt_img.shape == (3, 32, 32)
    assert sample['data_samples'].metainfo['sequence'].startswith('trainsrc_photo')


def test_reads_only_the_sources_of_its_role(tiny_photos):
    train = build(tiny_photos)
    assert {name for name, _ in train.photos} == {'trainsrc'}
    held = build(tiny_photos, role='held_out')
    assert {name for name, _ in held.photos} == {'heldsrc'}
    with pytest.raises(ValueError, match="no train sources \\['heldsrc'\\]"):
        build(tiny_photos, sources=['heldsrc'])


def test_every_draw_is_a_new_clip(tiny_photos):
    ds = build(tiny_photos, pipeline=[])
    first, again = ds.get_data_info(0), ds.get_data_info(0)
    assert len(first['img']) == 5 and first['gt'].shape == (32, 32, 3)
    assert not all(np.array_equal(a, b) for a, b in zip(first['img'], again['img']))


def test_missing_photo_names_the_file(tiny_photos, tmp_path):
    import json
    import shutil
    copy = tmp_path / 'photos'
    shutil.copytree(tiny_photos.rsplit('/', 1)[0], copy)
    index = json.loads((copy / 'photos.json').read_text())
    (copy / index['trainsrc']['photos'][0]['path']).unlink()
    with pytest.raises(FileNotFoundError, match='photo0.png'):
        build(str(copy / 'photos.json'))


def test_a_batch_may_mix_made_and_read_clips(tiny_photos, tiny_gopro):
    """MMagic stacks a batch only if every sample carries the same metainfo fields."""
    from mmagic.structures import DataSample
    pipeline = [dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
                dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                dict(type='PairedRandomCrop', gt_patch_size=32)] + PIPELINE
    read = DATASETS.build(dict(type='VideoDeblurDataset', data_root=tiny_gopro, split='train',
                               num_input_frames=5, pipeline=pipeline))
    made = build(tiny_photos)
    samples = [made[0]['data_samples'], read[0]['data_samples'], made[1]['data_samples']]
    stacked = DataSample.stack(samples)
    assert stacked.gt_img.shape == (3, 3, 32, 32)
