"""tools/dataset_converters/synthesize_suite.py: runs the command of each missing source,
keeps existing ones, names a source whose command fails."""
import importlib.util
import os.path as osp

import pytest

from fst_plugin.evaluation import suites
from fst_plugin.evaluation.suites import TEST_SUITES, SuiteSource

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'synthesize_suite', osp.join(ROOT, 'tools', 'dataset_converters', 'synthesize_suite.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_dry_run_prints_every_command(capsys):
    load_tool().main(['--dry-run'])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == sum(len(v) for v in TEST_SUITES.values())
    assert any('--kind still' in line and '--sources plasma' in line for line in lines)


def test_builds_missing_sources_and_keeps_existing_ones(tmp_path, monkeypatch, capsys):
    maker = tmp_path / 'make.py'  # a stand-in synthesis tool: writes <out>/test/made
    maker.write_text('import os, sys\nos.makedirs(os.path.join(sys.argv[2], "test"))\n'
                     'open(os.path.join(sys.argv[2], "test", "made"), "w").close()\n')
    kept = tmp_path / 'kept'
    (kept / 'test').mkdir(parents=True)
    monkeypatch.setitem(TEST_SUITES, 'unseen', [
        SuiteSource('new', str(tmp_path / 'new'), str(maker), ['--out', str(tmp_path / 'new')]),
        SuiteSource('old', str(kept), str(maker), ['--out', str(kept)])])
    load_tool().main(['--suite', 'unseen'])
    out = capsys.readouterr().out
    assert (tmp_path / 'new' / 'test' / 'made').is_file()
    assert not (kept / 'test' / 'made').exists() and 'old: ' in out and 'kept' in out


def test_a_failing_command_names_its_source(tmp_path, monkeypatch):
    failing = tmp_path / 'fail.py'
    failing.write_text('import sys\nsys.exit(3)\n')
    monkeypatch.setattr(suites, 'TEST_SUITES', {'unseen': [
        SuiteSource('broken', str(tmp_path / 'b'), str(failing), [])]})
    with pytest.raises(SystemExit, match='building broken failed .exit 3.'):
        load_tool().main(['--suite', 'unseen'])
