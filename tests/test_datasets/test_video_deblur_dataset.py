import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmagic.registry import DATASETS
from fst_plugin.datasets import VideoDeblurDataset


def write_seq(root, seq, names, blur_dir='blur', sharp_dir='sharp', size=(6, 8)):
    for sub in (blur_dir, sharp_dir):
        os.makedirs(osp.join(root, seq, sub), exist_ok=True)
        for n in names:
            cv2.imwrite(osp.join(root, seq, sub, n), np.zeros((*size, 3), np.uint8))


def test_gopro_layout_real_names(tmp_path):
    root = tmp_path / 'GOPRO_Large'
    # arbitrary first frame numbers, different lengths, numeric (not string) order
    write_seq(str(root / 'train'), 'GOPR0372_07_00', [f'{i:06d}.png' for i in range(47, 54)])
    write_seq(str(root / 'train'), 'GOPR0884_11_00', ['9.png', '10.png', '11.png'])
    ds = VideoDeblurDataset(data_root=str(root), split='train', num_input_frames=5)
    assert len(ds) == 10
    first = ds.get_data_info(0)
    assert first['key'] == 'GOPR0372_07_00/000047'
    names = [osp.basename(p) for p in first['img_path']]
    assert names == ['000047.png', '000047.png', '000047.png', '000048.png', '000049.png']
    assert first['gt_path'].endswith(osp.join('GOPR0372_07_00', 'sharp', '000047.png'))
    other = [d for d in (ds.get_data_info(i) for i in range(len(ds)))
             if d['sequence'] == 'GOPR0884_11_00']
    assert [d['frame'] for d in other] == ['9', '10', '11']
    assert [osp.basename(p) for p in other[2]['img_path']] == [
        '9.png', '10.png', '11.png', '11.png', '11.png']


def test_reflection_padding_blur_gamma_and_interval(tmp_path):
    root = str(tmp_path)
    write_seq(osp.join(root, 'test'), 'seq', [f'{i:03d}.png' for i in range(5)],
              blur_dir='blur_gamma')
    ds = VideoDeblurDataset(data_root=root, split='test', blur_type='blur_gamma',
                            padding='reflection', num_input_frames=5, target_interval=2)
    assert [ds.get_data_info(i)['frame'] for i in range(len(ds))] == ['000', '002', '004']
    frames = [osp.basename(p)[:3] for p in ds.get_data_info(0)['img_path']]
    assert frames == ['002', '001', '000', '001', '002']
    assert '/blur_gamma/' in ds.get_data_info(0)['img_path'][0]
    frames = [osp.basename(p)[:3] for p in ds.get_data_info(2)['img_path']]
    assert frames == ['002', '003', '004', '003', '002']


def test_frame_interval_spaces_the_neighbours_around_every_target(tmp_path):
    root = str(tmp_path)
    write_seq(osp.join(root, 'test'), 'seq', [f'{i:03d}.png' for i in range(8)])
    ds = VideoDeblurDataset(data_root=root, split='test', num_input_frames=5, frame_interval=2)
    assert len(ds) == 8  # every frame is still a target
    frames = [osp.basename(p)[:3] for p in ds.get_data_info(3)['img_path']]
    assert frames == ['000', '001', '003', '005', '007']
    assert ds.get_data_info(3)['gt_path'].endswith('003.png')
    with pytest.raises(ValueError, match='frame_interval must be >= 1, got 0'):
        VideoDeblurDataset(data_root=root, split='test', frame_interval=0)
    with pytest.raises(ValueError, match='frame_interval must be 1'):
        VideoDeblurDataset(data_root=root, split='test', window='sequence', frame_interval=2)
    # reflection needs the spaced reach inside the sequence: 2 * 2 = 4 < 8 frames
    ds = VideoDeblurDataset(data_root=root, split='test', padding='reflection',
                            frame_interval=2)
    assert [osp.basename(p)[:3] for p in ds.get_data_info(0)['img_path']] == [
        '004', '002', '000', '002', '004']
    with pytest.raises(ValueError, match='reflection padding'):
        VideoDeblurDataset(data_root=root, split='test', padding='reflection',
                           frame_interval=4)


@pytest.mark.parametrize('preset,split,blur,sharp', [
    ('dvd', None, 'input', 'GT'),
    ('bsd', 'valid', 'Blur/RGB', 'Sharp/RGB'),
])
def test_dvd_and_bsd_presets(tmp_path, preset, split, blur, sharp):
    base = osp.join(str(tmp_path), split) if split else str(tmp_path)
    write_seq(base, 'IMG_0030', ['00000.jpg', '00001.jpg', '00002.jpg'], blur, sharp)
    ds = DATASETS.build(dict(type='VideoDeblurDataset', data_root=str(tmp_path), split=split,
                             preset=preset, num_input_frames=3))
    assert len(ds) == 3
    assert ds.get_data_info(1)['img_path'][1].endswith(osp.join(blur, '00001.jpg'))


def test_pipeline_gives_clip_and_target(tiny_gopro):
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=tiny_gopro, split='train', num_input_frames=3,
        pipeline=[
            dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
            dict(type='PairedRandomCrop', gt_patch_size=32),
            dict(type='TemporalReverse', keys=['img'], reverse_ratio=1),
            dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame']),
        ]))
    item = ds[4]
    assert item['inputs'].shape == (3, 3, 32, 32)
    assert item['data_samples'].gt_img.shape == (3, 32, 32)
    assert item['data_samples'].metainfo['sequence'] == ds.get_data_info(4)['sequence']


def test_missing_data_says_where_and_how(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        VideoDeblurDataset(data_root=str(tmp_path / 'GOPRO_Large'), split='train')
    msg = str(err.value)
    assert str(tmp_path / 'GOPRO_Large' / 'train') in msg
    assert 'tools/dataset_converters/synthesize_gopro.py' in msg and 'Download' in msg


def test_bad_layouts(tmp_path):
    root = str(tmp_path)
    write_seq(osp.join(root, 'train'), 'a', ['1.png', '2.png'])
    os.remove(osp.join(root, 'train', 'a', 'sharp', '2.png'))
    with pytest.raises(ValueError, match=r"sequence 'a': 2 blurry frames .* but 1 sharp"):
        VideoDeblurDataset(data_root=root)
    write_seq(osp.join(root, 'train'), 'a', ['1.png', '2.png'])
    open(osp.join(root, 'train', 'a', 'blur', 'notes.txt'), 'w').close()
    with pytest.raises(ValueError, match=r"not frames: \['notes.txt'\]"):
        VideoDeblurDataset(data_root=root)
    os.remove(osp.join(root, 'train', 'a', 'blur', 'notes.txt'))
    os.rename(osp.join(root, 'train', 'a', 'sharp'), osp.join(root, 'train', 'a', 'gt'))
    with pytest.raises(FileNotFoundError, match=r"sequence 'a': sharp folder .*sharp is missing"):
        VideoDeblurDataset(data_root=root)
    with pytest.raises(ValueError, match='blur_type'):
        VideoDeblurDataset(data_root=root, blur_type='sharp')
    with pytest.raises(ValueError, match='odd'):
        VideoDeblurDataset(data_root=root, num_input_frames=4)


def test_trailing_window_with_all_sharp_frames(tmp_path, tiny_gopro):
    root = tmp_path / 'GOPRO_Large'
    write_seq(str(root / 'train'), 'seq', [f'{i}.png' for i in range(5)])
    ds = VideoDeblurDataset(data_root=str(root), num_input_frames=4, window='trailing',
                            gt_frames='all')
    info = ds.get_data_info(2)
    assert info['frame'] == '2'
    assert [osp.basename(p) for p in info['img_path']] == ['0.png', '0.png', '1.png', '2.png']
    assert [osp.basename(p) for p in info['gt_path']] == ['0.png', '0.png', '1.png', '2.png']
    assert all('/sharp/' in p for p in info['gt_path'])
    with pytest.raises(ValueError, match='window must be one of'):
        VideoDeblurDataset(data_root=str(root), window='past')
    with pytest.raises(ValueError, match='odd number for window="center"'):
        VideoDeblurDataset(data_root=str(root), num_input_frames=4)
    # through MMagic's pipeline the sharp frames become a (t, c, h, w) target, and
    # TemporalReverse on both keys keeps each blurry frame with its sharp frame
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=tiny_gopro, num_input_frames=3,
        window='trailing', gt_frames='all',
        pipeline=[
            dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
            dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=1),
            dict(type='PackInputs'),
        ]))
    item = ds[4]
    plain = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=tiny_gopro, num_input_frames=3,
        window='trailing', gt_frames='all',
        pipeline=[dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                  dict(type='PackInputs')]))[4]
    assert item['inputs'].shape == item['data_samples'].gt_img.shape == (3, 3, 40, 48)
    assert np.array_equal(item['data_samples'].gt_img.numpy(),
                          plain['data_samples'].gt_img.numpy()[::-1])


def test_validation_sequences_split_off_training(tmp_path):
    """The GOPRO configs' split: validation reads only the held-out training sequences,
    training reads every other one; the two never share a sequence."""
    from mmengine.config import Config
    root = str(tmp_path / 'GOPRO_Large')
    cfg = Config.fromfile(osp.join(osp.dirname(__file__), '..', '..', 'configs', '_base_',
                                   'datasets', 'gopro.py'))
    held_out = list(cfg.val_sequences)
    assert len(held_out) == 2
    for seq in held_out + ['GOPR0372_07_00', 'GOPR0884_11_00']:
        write_seq(osp.join(root, 'train'), seq, ['000001.png', '000002.png'])
    train = VideoDeblurDataset(data_root=root, split='train', num_input_frames=3,
                               exclude_sequences=cfg.train_dataloader.dataset.exclude_sequences)
    val_cfg = dict(cfg.val_dataloader.dataset, data_root=root, pipeline=[])
    val = DATASETS.build(val_cfg)
    train_seqs = {train.get_data_info(i)['sequence'] for i in range(len(train))}
    val_seqs = {val.get_data_info(i)['sequence'] for i in range(len(val))}
    assert train_seqs == {'GOPR0372_07_00', 'GOPR0884_11_00'}
    assert val_seqs == set(held_out)
    assert val.split == 'train'
    # data without those sequences: the error names them and says how to choose others
    other = str(tmp_path / 'other')
    write_seq(osp.join(other, 'train'), 'GOPR9000_00_00', ['1.png', '2.png'])
    with pytest.raises(FileNotFoundError, match=r"not found .*GOPR9000_00_00.*"
                       r"val_dataloader.dataset.sequences"):
        DATASETS.build(dict(val_cfg, data_root=other))
    with pytest.raises(ValueError, match='both selected'):
        VideoDeblurDataset(data_root=root, sequences=['a'], exclude_sequences=['a'])


def test_metainfo_lists_every_sequence_in_order(tmp_path):
    root = str(tmp_path)
    write_seq(osp.join(root, 'test'), 'b', ['9.png', '10.png', '11.png'])
    write_seq(osp.join(root, 'test'), 'a', ['1.png', '2.png'], blur_dir='blur_gamma')
    write_seq(osp.join(root, 'test'), 'a', ['1.png', '2.png'])
    ds = VideoDeblurDataset(data_root=root, split='test', num_input_frames=3,
                            target_interval=2)  # only some frames are targets
    meta = ds.metainfo
    assert meta['sequence_frames'] == {'a': ['1', '2'], 'b': ['9', '10', '11']}
    assert meta['blur_dir'] == 'blur' and meta['split'] == 'test'


def test_sequence_window_is_one_sample_per_sequence(tmp_path):
    root = str(tmp_path)
    write_seq(osp.join(root, 'test'), 'b', ['9.png', '10.png', '11.png'])
    write_seq(osp.join(root, 'test'), 'a', ['1.png', '2.png'])
    ds = VideoDeblurDataset(data_root=root, split='test', window='sequence')
    assert len(ds) == 2
    info = ds.get_data_info(1)
    assert info['key'] == 'b' and info['frame'] == ['9', '10', '11']
    assert [osp.basename(p) for p in info['img_path']] == ['9.png', '10.png', '11.png']
    assert [osp.basename(p) for p in info['gt_path']] == ['9.png', '10.png', '11.png']
    assert all('/sharp/' in p for p in info['gt_path'])
    with pytest.raises(ValueError, match='target_interval must be 1'):
        VideoDeblurDataset(data_root=root, split='test', window='sequence', target_interval=2)


def test_concatenating_datasets_of_different_folders(tmp_path):
    """Each dataset lists its own folder's frames in its metainfo; MMEngine's ConcatDataset
    refuses differing metainfo unless told to ignore those keys (as the footage configs do)."""
    from mmengine.dataset import ConcatDataset
    for name in ('one', 'two'):
        write_seq(osp.join(str(tmp_path), name, 'train'), f'seq_{name}', ['1.png', '2.png'])
    parts = [dict(type='VideoDeblurDataset', data_root=str(tmp_path / n), num_input_frames=3)
             for n in ('one', 'two')]
    with pytest.raises(ValueError, match='meta information'):
        ConcatDataset(parts)
    both = ConcatDataset(parts, ignore_keys=list(VideoDeblurDataset.PER_FOLDER_METAINFO))
    assert len(both) == 4
    assert {both.get_data_info(i)['sequence'] for i in range(4)} == {'seq_one', 'seq_two'}
