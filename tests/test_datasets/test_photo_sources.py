"""Photographs read out of Debian packages: tiny packages built here, nothing downloaded."""
import hashlib
import io
import json
import os.path as osp
import tarfile

import cv2
import numpy as np
import pytest

from fst_plugin.datasets.photo_sources import (PhotoSource, deb_filename, fetch_photos,
                                               iter_deb_members, largest_embedded_jpeg,
                                               photo_paths)


def jpeg_bytes(width, height, seed=0):
    image = np.random.default_rng(seed).integers(0, 255, (height, width, 3), np.uint8)
    return cv2.imencode('.jpg', image)[1].tobytes()


def write_deb(path, files):
    """A minimal .deb: an ar archive with debian-binary and data.tar.xz."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode='w:xz') as tar:
        for name, content in files.items():
            info = tarfile.TarInfo('./' + name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    members = [('debian-binary', b'2.0\n'), ('data.tar.xz', data.getvalue())]
    with open(path, 'wb') as f:
        f.write(b'!<arch>\n')
        for name, content in members:
            f.write(f'{name + "/":<16}{0:<12}{0:<6}{0:<6}{"100644":<8}{len(content):<10}`\n'
                    .encode())
            f.write(content + (b'\n' if len(content) % 2 else b''))


@pytest.fixture
def package(tmp_path):
    """A package holding a JPEG, a PNG and an .edj theme file with a thumbnail and a
    larger JPEG embedded in other bytes."""
    png = cv2.imencode('.png', np.full((30, 40, 3), 128, np.uint8))[1].tobytes()
    edj = b'EET header' + jpeg_bytes(16, 12, 1) + b'\x00' * 50 + jpeg_bytes(64, 48, 2) + b'end'
    files = {'usr/share/backgrounds/a.jpg': jpeg_bytes(80, 60), 'usr/share/backgrounds/b.png': png,
             'usr/share/backgrounds/Forest.edj': edj, 'usr/share/doc/copyright': b'text'}
    archives = tmp_path / 'debs'
    archives.mkdir()
    source = PhotoSource('tiny', 'tiny-wallpapers', '1:2.0-1', '', 'CC0-1.0', 'train',
                         ('usr/share/backgrounds/a.jpg', 'usr/share/backgrounds/b.png',
                          'usr/share/backgrounds/Forest.edj'), 'three images')
    deb = archives / deb_filename(source)
    write_deb(str(deb), files)
    sha = hashlib.sha256(deb.read_bytes()).hexdigest()
    return source.__class__(**dict(source.__dict__, deb_sha256=sha)), str(archives), files


def test_reads_members_without_installing(package):
    source, archives, files = package
    found = dict(iter_deb_members(osp.join(archives, deb_filename(source)),
                                  ['usr/share/backgrounds/b.png', 'usr/share/doc/copyright']))
    assert found == {k: files[k] for k in ('usr/share/backgrounds/b.png', 'usr/share/doc/copyright')}
    assert deb_filename(source) == 'tiny-wallpapers_1%3a2.0-1_all.deb'  # epoch as apt writes it


def test_keeps_the_largest_embedded_jpeg():
    blob = b'xx' + jpeg_bytes(16, 12, 1) + b'yy' + jpeg_bytes(64, 48, 2) + b'zz'
    image = cv2.imdecode(np.frombuffer(largest_embedded_jpeg(blob), np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (48, 64, 3)
    assert largest_embedded_jpeg(b'no image here') is None


def test_fetch_writes_photos_and_index(package, tmp_path):
    source, archives, files = package
    out = tmp_path / 'photos'
    calls = []
    records = fetch_photos(str(out), archives, sources=[source],
                           download=lambda *a: calls.append(a), log=lambda *a: None)
    assert not calls  # the cached package was used
    photos = records['tiny']['photos']
    assert [p['path'] for p in photos] == ['tiny/a.jpg', 'tiny/b.png', 'tiny/Forest.jpg']
    assert (out / 'tiny' / 'a.jpg').read_bytes() == files['usr/share/backgrounds/a.jpg']
    assert (photos[2]['width'], photos[2]['height']) == (64, 48)  # the larger embedded JPEG
    index = json.loads((out / 'photos.json').read_text())
    assert index['tiny']['role'] == 'train' and index['tiny']['licence'] == 'CC0-1.0'
    assert photo_paths(str(out / 'photos.json'), 'train')['tiny'][0] == str(out / 'tiny/a.jpg')
    assert photo_paths(str(out / 'photos.json'), 'held_out') == {}


def test_changed_package_is_refused_by_name(package, tmp_path):
    source, archives, _ = package
    bad = source.__class__(**dict(source.__dict__, deb_sha256='0' * 64))
    with pytest.raises(ValueError, match='tiny-wallpapers_1%3a2.0-1_all.deb has SHA-256'):
        fetch_photos(str(tmp_path / 'out'), archives, sources=[bad], log=lambda *a: None)
    missing = source.__class__(**dict(source.__dict__, members=('usr/share/none.jpg', )))
    with pytest.raises(ValueError, match='lacks'):
        fetch_photos(str(tmp_path / 'out'), archives, sources=[missing], log=lambda *a: None)
    with pytest.raises(ValueError, match='unknown photo sources'):
        fetch_photos(str(tmp_path / 'out'), archives, names=['nope'], sources=[source])


def test_the_catalogue_holds_out_whole_sources():
    from fst_plugin.datasets.photo_sources import PHOTO_SOURCES
    roles = {s.name: s.role for s in PHOTO_SOURCES}
    assert sum(r == 'held_out' for r in roles.values()) >= 2
    assert sum(r == 'train' for r in roles.values()) >= 2
    for s in PHOTO_SOURCES:
        assert len(s.deb_sha256) == 64 and len(set(s.members)) == len(s.members) >= 10


def test_photo_names_come_from_what_differs_between_members():
    from fst_plugin.datasets.photo_sources import member_stem
    plasma = ['w/Path/contents/images/2560x1600.jpg', 'w/Kite/contents/images/2560x1600.jpg']
    assert [member_stem(m, plasma) for m in plasma] == ['Path', 'Kite']
    flat = ['b/Bamboo.edj', 'b/Red-Maple.edj']
    assert [member_stem(m, flat) for m in flat] == ['Bamboo', 'Red-Maple']
