"""tools/analysis_tools/generalization_suite.py: one row per source, the tuned unsharp mask
beside the input, cached scores reused."""
import json
import sys

import pytest


def test_scores_each_source_on_its_own(tiny_gopro, tmp_path, run_tool):
    out = tmp_path / 'suite'
    args = [sys.executable, 'tools/analysis_tools/generalization_suite.py', '--out-dir',
            str(out), '--source', 'tiny', tiny_gopro, '--source', 'again', tiny_gopro]
    text = run_tool(args)
    assert '| tiny |' in text and '| again |' in text and 'mean gain over sources' in text
    report = json.loads((out / 'suite.json').read_text())
    row = report['rows']['tiny']['unsharp mask (tuned)']
    assert row['PSNR'] >= row['input_PSNR']  # amount 0 (the input) is among its settings
    assert report['mean_gain']['unsharp mask (tuned)'] >= 0
    cached = (out / 'scores' / 'unsharp__tiny.json').read_text()
    run_tool(args)
    assert (out / 'scores' / 'unsharp__tiny.json').read_text() == cached


def test_missing_source_is_named(tmp_path, run_tool):
    import os.path as osp
    import subprocess
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    proc = subprocess.run([sys.executable, 'tools/analysis_tools/generalization_suite.py',
                           '--out-dir', str(tmp_path), '--source', 'x', str(tmp_path / 'nope')],
                          cwd=root, capture_output=True, text=True)
    assert proc.returncode != 0 and 'nope/test does not exist' in proc.stderr


def test_grids_of_every_source_and_of_a_real_blur_video(tiny_gopro, tmp_path, run_tool):
    import glob
    import os.path as osp
    out = tmp_path / 'suite'
    video = glob.glob(osp.join(tiny_gopro, 'test', '*', 'blur'))[0]  # a frame folder
    text = run_tool([sys.executable, 'tools/analysis_tools/generalization_suite.py',
                     '--out-dir', str(out), '--source', 'tiny', tiny_gopro, '--grids',
                     '--real-blur', 'real', video])
    assert 'grid of tiny' in text and 'grid of real' in text
    assert (out / 'grids' / 'tiny.png').stat().st_size > 0
    assert (out / 'grids' / 'real.png').stat().st_size > 0
    md = (out / 'grids.md').read_text()
    assert '![tiny](grids/tiny.png)' in md and 'real camera blur' in md


def test_real_blur_needs_grids(tiny_gopro, tmp_path):
    import subprocess
    proc = subprocess.run([sys.executable, 'tools/analysis_tools/generalization_suite.py',
                           '--out-dir', str(tmp_path), '--source', 'x', tiny_gopro,
                           '--real-blur', 'r', 'v.mp4'], capture_output=True, text=True)
    assert proc.returncode == 2 and '--real-blur needs --grids' in proc.stderr


def test_suite_names_expand_to_their_sources():
    import importlib.util
    import os.path as osp

    from fst_plugin.evaluation.suites import TEST_SUITES
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    spec = importlib.util.spec_from_file_location(
        'generalization_suite', osp.join(root, 'tools', 'analysis_tools',
                                         'generalization_suite.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    args = tool.parse_args(['--out-dir', 'x', '--suite', 'validation', '--source', 'extra', 'd'])
    assert [s[0] for s in args.source] == [s.name for s in TEST_SUITES['validation']] + ['extra']
    with pytest.raises(SystemExit):
        tool.parse_args(['--out-dir', 'x'])  # neither --suite nor --source
