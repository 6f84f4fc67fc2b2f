"""Shared fixtures: tiny GOPRO-layout data synthesized the way GOPRO was made."""
import os.path as osp
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import fst_plugin  # noqa: E402,F401  (registers every module)
from mmagic.utils import register_all_modules  # noqa: E402

# configs run with default_scope='mmagic'; tests that build modules directly need the same
register_all_modules(init_default_scope=True)


@pytest.fixture(scope='session')
def tiny_gopro(tmp_path_factory):
    """2 train + 1 test procedural sequences of 6 frames at 48x40 (GOPRO_Large layout)."""
    from fst_plugin.datasets.synthesis import synthesize_gopro
    root = str(tmp_path_factory.mktemp('data') / 'GOPRO_Large')
    synthesize_gopro(root, num_train=2, num_test=1, frames_per_seq=6, size=(48, 40),
                     avg_range=(3, 5), seed=1, log=lambda *a: None)
    return root


@pytest.fixture(scope='session')
def tiny_gopro_store(tiny_gopro, tmp_path_factory):
    """``tiny_gopro`` decoded into a frame store (blur, blur_gamma, sharp; train and test)."""
    from fst_plugin.datasets import build_frame_store
    store = str(tmp_path_factory.mktemp('store') / 'GOPRO_Large_store')
    build_frame_store(tiny_gopro, store, log=lambda *a: None)
    return store


def write_tiny_photo_index(root, sources=(('trainsrc', 'train', 2), ('heldsrc', 'held_out', 1)),
                           size=(160, 120)):
    """``photos.json`` of tiny procedural 'photographs' (textured, with bright spots) in the
    layout ``tools/dataset_converters/fetch_photos.py`` writes; returns its path."""
    import json
    import os

    import cv2
    import numpy as np
    from fst_plugin.datasets.synthesis import random_texture
    records = {}
    rng = np.random.default_rng(0)
    for name, role, count in sources:
        os.makedirs(osp.join(root, name), exist_ok=True)
        photos = []
        for k in range(count):
            image = random_texture(size[0], size[1], rng)
            cv2.circle(image, (size[0] // 3, size[1] // 3), 4, (255, 255, 255), -1)
            path = osp.join(name, f'photo{k}.png')
            cv2.imwrite(osp.join(root, path), image[..., ::-1])
            photos.append(dict(path=path, member=f'usr/share/{path}', width=size[0],
                               height=size[1], sha256=''))
        records[name] = dict(name=name, package=name, version='1', deb_sha256='',
                             licence='test', role=role, description='tiny', photos=photos)
    index = osp.join(root, 'photos.json')
    with open(index, 'w') as f:
        json.dump(records, f)
    return index


@pytest.fixture(scope='session')
def tiny_photos(tmp_path_factory):
    """A photo index with two training photographs and one held-out one (160x120)."""
    return write_tiny_photo_index(str(tmp_path_factory.mktemp('photos')))


def write_tiny_footage(folder):
    """A fetched-footage folder (``footage.json`` + MJPG clips of 40 frames at 64x48):
    'street' to train on, 'cup' held out, 'tree' validation-only; returns the folder."""
    import json

    import cv2
    import numpy as np
    index = {}
    for seed, (name, role) in enumerate((('street', {}), ('cup', dict(held_out=True)),
                                         ('tree', dict(validation=True)))):
        rng = np.random.default_rng(seed)
        base = cv2.resize(rng.integers(0, 256, (12, 16, 3)).astype(np.uint8), (80, 60),
                          interpolation=cv2.INTER_NEAREST)
        path = osp.join(folder, f'{name}.avi')
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25, (64, 48))
        for k in range(40):
            writer.write(np.ascontiguousarray(base[k % 12:k % 12 + 48, k % 16:k % 16 + 64]))
        writer.release()
        index[name] = dict(path=path, **role)
    with open(osp.join(folder, 'footage.json'), 'w') as f:
        json.dump(index, f)
    return folder


@pytest.fixture(scope='session')
def tiny_footage(tmp_path_factory):
    """``write_tiny_footage`` in a session-wide temporary folder."""
    return write_tiny_footage(str(tmp_path_factory.mktemp('footage')))


CPUINFO_AMX = ('processor\t: 0\nmodel name\t: Test CPU AMX\n'
               'flags\t\t: fpu sse avx2 avx512f amx_tile amx_bf16\n')
CPUINFO_PLAIN = 'processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse avx avx2\n'


@pytest.fixture(scope='session')
def _plain_cpuinfo(tmp_path_factory):
    path = tmp_path_factory.mktemp('cpuinfo') / 'cpuinfo_plain'
    path.write_text(CPUINFO_PLAIN)
    return str(path)


@pytest.fixture(autouse=True)
def _auto_precision_is_fp32(_plain_cpuinfo, monkeypatch):
    """Every test sees a CPU without bf16 units unless it asks for one (``fake_cpu``): the
    default ``'auto'`` precision resolves to fp32, so outputs compared with fp32 references
    do not depend on whether the machine running the tests has AMX."""
    monkeypatch.setenv('FST_CPUINFO', _plain_cpuinfo)


@pytest.fixture
def fake_cpu(tmp_path, monkeypatch):
    """``fake_cpu('amx' | 'plain' | text)``: the precision tools read that CPU's
    ``/proc/cpuinfo`` (through ``$FST_CPUINFO``, which child processes inherit)."""
    def use(text):
        text = dict(amx=CPUINFO_AMX, plain=CPUINFO_PLAIN).get(text, text)
        path = tmp_path / f'cpuinfo{len(text)}'
        path.write_text(text)
        monkeypatch.setenv('FST_CPUINFO', str(path))
        return str(path)
    return use
