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
