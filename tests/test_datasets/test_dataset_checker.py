"""Every broken-dataset case built on disk: the checker and the loader name sequence and file."""
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from mmagic.registry import DATASETS
from fst_plugin.datasets import VideoDeblurDataset
from fst_plugin.datasets.dataset_checker import check_dataset

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def make_gopro(root, seqs=("s1", "s2"), n=5, size=(24, 32)):
    """GOPRO layout with random frames; returns the train folder."""
    rng = np.random.default_rng(0)
    train = osp.join(root, 'train')
    for seq in seqs:
        for sub in ('blur', 'sharp'):
            os.makedirs(osp.join(train, seq, sub))
            for i in range(n):
                cv2.imwrite(osp.join(train, seq, sub, f'{i:06d}.png'),
                            rng.integers(0, 255, (*size, 3), dtype=np.uint8))
    return train


def errors_of(root, **kwargs):
    return check_dataset(str(root), split='train', **kwargs)


def test_clean_dataset_has_no_problem(tmp_path):
    make_gopro(tmp_path)
    r = errors_of(tmp_path, crop_size=16)
    assert r['errors'] == [] and r['warnings'] == [] and r['frames'] == 10


def test_missing_sharp_folder(tmp_path):
    train = make_gopro(tmp_path)
    os.rename(osp.join(train, 's2', 'sharp'), osp.join(train, 's2', 'GT'))
    (err, ) = errors_of(tmp_path)['errors']
    assert "sequence 's2'" in err and 'sharp folder' in err and 's2/sharp' in err
    with pytest.raises(FileNotFoundError, match=r"sequence 's2'.*s2/sharp is missing"):
        VideoDeblurDataset(data_root=str(tmp_path))


def test_unequal_frame_counts(tmp_path):
    train = make_gopro(tmp_path)
    os.remove(osp.join(train, 's1', 'sharp', '000003.png'))
    (err, ) = errors_of(tmp_path)['errors']
    assert "sequence 's1'" in err and '5 blurry frames' in err and '4 sharp frames' in err
    with pytest.raises(ValueError, match="sequence 's1': 5 blurry frames"):
        VideoDeblurDataset(data_root=str(tmp_path))


@pytest.mark.parametrize('kind', ['truncated', 'empty'])
def test_undecodable_frame(tmp_path, kind):
    train = make_gopro(tmp_path)
    bad = osp.join(train, 's2', 'blur', '000002.png')
    data = open(bad, 'rb').read()
    with open(bad, 'wb') as f:
        f.write(data[:len(data) // 2] if kind == 'truncated' else b'')
    (err, ) = errors_of(tmp_path)['errors']
    assert "sequence 's2'" in err and bad in err
    assert ('0 bytes' if kind == 'empty' else 'cannot be decoded') in err
    # the loader: the sample that reads the frame fails naming sequence and file
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=str(tmp_path), num_input_frames=3,
        pipeline=[dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
                  dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                  dict(type='PackInputs')]))
    idx = next(i for i in range(len(ds)) if ds.get_data_info(i)['key'] == 's2/000002')
    with pytest.raises(ValueError, match=r"sample s2/000002 \(sequence 's2'\).*" + bad):
        ds[idx]


def test_blur_and_sharp_sizes_differ(tmp_path):
    train = make_gopro(tmp_path)
    path = osp.join(train, 's1', 'sharp', '000001.png')
    cv2.imwrite(path, np.zeros((20, 32, 3), np.uint8))
    (err, ) = errors_of(tmp_path)['errors']
    assert "sequence 's1'" in err and path in err and '32x20' in err and '32x24' in err
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=str(tmp_path), num_input_frames=1,
        pipeline=[dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
                  dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                  dict(type='PairedRandomCrop', gt_patch_size=16),
                  dict(type='PackInputs')]))
    with pytest.raises(ValueError, match=r"sequence 's1'.*" + path + '.* is 32x20'):
        ds[1]


def test_frames_smaller_than_the_crop(tmp_path):
    make_gopro(tmp_path)
    errs = errors_of(tmp_path, crop_size=28)['errors']
    assert len(errs) == 20 and 'smaller than the training crop 28x28' in errs[0]
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=str(tmp_path), num_input_frames=1,
        pipeline=[dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
                  dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                  dict(type='PairedRandomCrop', gt_patch_size=28),
                  dict(type='PackInputs')]))
    with pytest.raises(ValueError, match=r"sequence 's1'.*smaller than the training crop 28"):
        ds[0]


def test_grayscale_and_rgba_are_converted_explicitly(tmp_path):
    train = make_gopro(tmp_path)
    gray = osp.join(train, 's1', 'blur', '000000.png')
    rgba = osp.join(train, 's1', 'sharp', '000000.png')
    cv2.imwrite(gray, np.full((24, 32), 100, np.uint8))
    cv2.imwrite(rgba, np.full((24, 32, 4), 50, np.uint8))
    r = errors_of(tmp_path)
    assert r['errors'] == []
    assert any('grayscale: converted to RGB' in n and gray in n for n in r['notes'])
    assert any('RGBA: converted to RGB, alpha dropped' in n and rgba in n for n in r['notes'])
    ds = DATASETS.build(dict(
        type='VideoDeblurDataset', data_root=str(tmp_path), num_input_frames=1,
        pipeline=[dict(type='LoadImageFromFile', key='img', color_type='color',
                       channel_order='rgb'),
                  dict(type='LoadImageFromFile', key='gt', color_type='color',
                       channel_order='rgb'),
                  dict(type='PackInputs')]))
    item = ds[0]
    assert item['inputs'].shape == (3, 24, 32)  # one-frame clip
    assert (item['inputs'] == 100).all()  # grey replicated to 3 channels
    assert item['data_samples'].gt_img.shape == (3, 24, 32)


def test_sequence_shorter_than_clip(tmp_path):
    make_gopro(tmp_path, n=3)
    r = errors_of(tmp_path, num_frames=5)
    assert r['errors'] == []
    assert len(r['warnings']) == 2 and "sequence 's1': 3 frames, fewer than a clip of 5" in \
        r['warnings'][0]


def test_non_image_file(tmp_path):
    train = make_gopro(tmp_path)
    open(osp.join(train, 's2', 'blur', 'notes.txt'), 'w').write('x')
    (err, ) = errors_of(tmp_path)['errors']
    assert "sequence 's2'" in err and 'notes.txt' in err and 'not frames' in err


def test_symlink_loops(tmp_path):
    train = make_gopro(tmp_path)
    os.symlink('loop', osp.join(train, 'loop'))  # a sequence folder that points at itself
    os.symlink('000009.png', osp.join(train, 's1', 'blur', '000009.png'))  # frame loop
    os.symlink('000009.png', osp.join(train, 's1', 'sharp', '000009.png'))
    errs = errors_of(tmp_path)['errors']
    assert any('loop' in e and 'looping symbolic link' in e for e in errs)
    assert any("sequence 's1'" in e and '000009.png' in e and 'looping' in e for e in errs)
    with pytest.raises(ValueError, match=r"broken or looping symbolic links .*\['loop'\]"):
        VideoDeblurDataset(data_root=str(tmp_path))


def test_tool_exit_status_and_report(tmp_path):
    train = make_gopro(tmp_path)
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    ok = subprocess.run([sys.executable, 'tools/dataset_converters/check_dataset.py', str(tmp_path)], cwd=ROOT,
                        env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and 'OK: no errors' in ok.stdout
    open(osp.join(train, 's1', 'blur', '000001.png'), 'wb').close()
    bad = subprocess.run([sys.executable, 'tools/dataset_converters/check_dataset.py', str(tmp_path), '--crop',
                          '16'], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1
    assert 'FAILED: 1 errors' in bad.stdout and '000001.png: empty file' in bad.stdout
