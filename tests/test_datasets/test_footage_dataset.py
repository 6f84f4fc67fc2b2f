"""A GOPRO-layout dataset from real footage: held-out clips only in the test split."""
import glob
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from fst_plugin.datasets.synthesis import synthesize_footage_dataset

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = dict(size=(48, 32), max_side=64, frames_per_seq=3, train_seqs_per_clip=3,
            procedural_seqs=1, camera_share=0.5, test=(('camera', 6.0), ('average', 2)),
            test_frames_per_seq=2)


def _video(path, frames=30, seed=0):
    rng = np.random.default_rng(seed)
    base = cv2.resize(rng.integers(0, 256, (12, 16, 3)).astype(np.uint8), (80, 60),
                      interpolation=cv2.INTER_NEAREST)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25, (64, 48))
    for k in range(frames):
        writer.write(np.ascontiguousarray(base[k % 12:k % 12 + 48, k % 16:k % 16 + 64]))
    writer.release()
    return path


@pytest.fixture(scope='module')
def footage(tmp_path_factory):
    d = tmp_path_factory.mktemp('footage')
    return _video(str(d / 'street.avi')), _video(str(d / 'cup.avi'), seed=1)


def test_splits_modes_and_layout(footage, tmp_path):
    train, test = footage
    root = str(tmp_path / 'ds')
    meta = synthesize_footage_dataset(root, [train], [test], recipe=TINY, seed=3,
                                      log=lambda *a: None)
    seqs = meta['sequences']
    assert {s['source'] for s in seqs if s['split'] == 'train'} == {'street.avi', 'procedural'}
    assert {s['source'] for s in seqs if s['split'] == 'test'} == {'cup.avi'}
    assert [s['mode'] for s in seqs if s['split'] == 'test'] == ['camera', 'average']
    assert meta['held_out_clips'] == ['cup.avi']
    for s in seqs:
        d = osp.join(root, s['split'], s['name'])
        for sub in ('blur', 'blur_gamma', 'sharp'):
            files = sorted(glob.glob(osp.join(d, sub, '*.png')))
            assert len(files) == s['frames'] > 0
            assert cv2.imread(files[0]).shape == (32, 48, 3)
    assert json.load(open(osp.join(root, 'synthesis_meta.json')))['seed'] == 3
    # the averaging mode averages real frames: its blurry frame is the mean of n of them
    avg = next(s for s in seqs if s['split'] == 'test' and s['mode'] == 'average')
    assert avg['n_avg'] == 2 and avg['real_frames_averaged'] == 2


def test_clip_both_trained_and_held_out_is_refused(footage, tmp_path):
    with pytest.raises(ValueError, match='both trained on and held out'):
        synthesize_footage_dataset(str(tmp_path), [footage[0]], [footage[0]], recipe=TINY)


def test_too_short_clip_is_named(tmp_path):
    short = _video(str(tmp_path / 'short.avi'), frames=2)
    with pytest.raises(ValueError, match='short.avi has 2 frames'):
        synthesize_footage_dataset(str(tmp_path / 'ds'), [short], [], recipe=TINY)


def test_test_split_averaging_windows_are_distinct(tmp_path):
    """Two averaging test sequences never share a window (one sequence counted twice)."""
    # 5 frames: two windows for a 2-frame sequence averaging 2 frames (4 frames each)
    clip = _video(str(tmp_path / 'few.avi'), frames=5)
    recipe = dict(TINY, test=(('average', 2), ('average', 2)))
    meta = synthesize_footage_dataset(str(tmp_path / 'ds'), [], [clip], recipe=recipe,
                                      splits=('test',), log=lambda *a: None)
    starts = sorted(s['first_source_frame'] for s in meta['sequences'])
    assert starts == [0, 1]
    a, b = (cv2.imread(osp.join(tmp_path, 'ds', 'test', s['name'], 'blur', '000001.png'))
            for s in meta['sequences'])
    assert np.abs(a.astype(int) - b.astype(int)).max() > 0
    # a third has no window left: skipped, said in the log and the metadata
    recipe = dict(TINY, test=(('average', 2),) * 3 + (('camera', 6.0),))
    logged = []
    meta = synthesize_footage_dataset(str(tmp_path / 'ds3'), [], [clip], recipe=recipe,
                                      splits=('test',), log=logged.append)
    assert [s['name'] for s in meta['sequences']] == [
        'few_average_00', 'few_average_01', 'few_camera_03']
    assert [s['name'] for s in meta['skipped']] == ['few_average_02']
    assert 'few.avi has 5 frames' in meta['skipped'][0]['why']
    assert any('few_average_02: SKIPPED' in line for line in logged)
    assert not osp.exists(osp.join(tmp_path, 'ds3', 'test', 'few_average_02'))


def test_tool_needs_fetched_footage(tmp_path):
    res = subprocess.run([sys.executable, 'tools/dataset_converters/synthesize_footage.py', '--footage',
                          str(tmp_path), '--out', str(tmp_path / 'o')], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode != 0 and 'run tools/dataset_converters/fetch_footage.py first' in res.stderr


def _footage_folder(footage, tmp_path):
    """A fetched-footage folder: footage.json naming the fixture's clips (street, cup held
    out) and links to them."""
    train, test = footage
    folder = tmp_path / 'footage'
    folder.mkdir()
    with open(folder / 'footage.json', 'w') as f:
        json.dump(dict(street=dict(path=train), cup=dict(path=test, held_out=True)), f)
    for clip in (train, test):
        (folder / osp.basename(clip)).symlink_to(clip)
    return folder


def _synthesize(folder, out, *options):
    """Runs tools/dataset_converters/synthesize_footage.py on ``folder``; fails the test with its stderr."""
    res = subprocess.run([sys.executable, 'tools/dataset_converters/synthesize_footage.py', '--footage',
                          str(folder), '--out', str(out), '--size', '48x32', *options],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]


def test_tool_test_seqs_choose_the_held_out_sequences(footage, tmp_path):
    folder = _footage_folder(footage, tmp_path)
    out = tmp_path / 'val'
    _synthesize(folder, out, '--held-out', 'street', '--splits', 'test', '--test-frames', '2',
                '--test-seqs', 'average:2', 'average:3')
    meta = json.load(open(out / 'synthesis_meta_test.json'))
    assert [(s['name'], s['real_frames_averaged']) for s in meta['sequences']] == [
        ('street_average_00', 2), ('street_average_01', 3)]
    assert meta['held_out_clips'] == ['street.avi']


@pytest.mark.parametrize('bad', ['average:1', 'blur:3', 'camera:', 'camera:x', 'average'])
def test_tool_refuses_bad_test_seqs(bad):
    sys.path.insert(0, osp.join(ROOT, 'tools', 'dataset_converters'))
    from synthesize_footage import parse_test_seqs
    with pytest.raises(ValueError, match='--test-seqs'):
        parse_test_seqs([bad])
    assert parse_test_seqs(['camera:6', 'average:3']) == (('camera', 6.0), ('average', 3))


def test_tool_procedural_texture_natural_writes_dead_leaves_scenes(footage, tmp_path):
    folder = _footage_folder(footage, tmp_path)
    out = tmp_path / 'natural'
    _synthesize(folder, out, '--splits', 'train', '--frames', '2', '--seqs-per-clip', '0',
                '--procedural', '1', '--procedural-texture', 'natural')
    meta = json.load(open(out / 'synthesis_meta_train.json'))
    assert [(s['name'], s['texture']) for s in meta['sequences']] == [
        ('procedural_00', 'natural')]
    assert meta['recipe']['procedural_texture'] == 'natural'
