"""fst_plugin/evaluation/suites.py: every source's command is one its tool accepts,
writes where the suite reads, and reads only what the suite's role allows."""
import importlib.util
import os.path as osp

import pytest

from fst_plugin.datasets.footage import FOOTAGE
from fst_plugin.datasets.photo_sources import PHOTO_SOURCES
from fst_plugin.evaluation.suites import TEST_SUITES, suite_sources

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(path):
    spec = importlib.util.spec_from_file_location(osp.basename(path)[:-3], osp.join(ROOT, path))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


@pytest.mark.parametrize('suite', sorted(TEST_SUITES))
def test_each_command_parses_and_writes_the_folder_the_suite_reads(suite):
    sources = suite_sources(suite)
    assert len({s.name for s in sources}) == len(sources)
    assert len({s.data_root for s in sources}) == len(sources)
    for source in sources:
        args = load_tool(source.tool).parse_args(source.args)
        assert osp.normpath(args.out).endswith(osp.normpath(source.data_root)), source.name


def test_unseen_sources_read_nothing_training_reads():
    photo_role = {s.name: s.role for s in PHOTO_SOURCES}
    trained_clips = {c.name for c in FOOTAGE if not c.held_out and not c.validation}
    for source in suite_sources('unseen'):
        args = load_tool(source.tool).parse_args(source.args)
        if source.tool.endswith('synthesize_photo_blur.py'):
            assert args.role == 'held_out' and args.sources
            assert all(photo_role[name] == 'held_out' for name in args.sources)
        else:  # footage: only the test split, and only clips no training reads
            assert args.splits == ['test']
            held = set(args.held_out or [c.name for c in FOOTAGE if c.held_out])
            assert held and not held & trained_clips, source.name


def test_validation_photos_come_from_training_sources_only():
    tool = load_tool('tools/dataset_converters/synthesize_photo_blur.py')
    photo_sets = [s for s in suite_sources('validation') if s.tool.endswith('photo_blur.py')]
    assert {s.name for s in photo_sets} >= {'photo_val', 'photo_val_average'}
    for source in photo_sets:
        assert tool.parse_args(source.args).role == 'train', source.name
    modes = {tool.parse_args(s.args).mode for s in photo_sets}
    assert modes == {'camera', 'average'}


def test_unknown_suite_is_named():
    with pytest.raises(KeyError, match='unknown test suite'):
        suite_sources('gopro')
