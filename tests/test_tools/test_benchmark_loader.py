"""tools/analysis_tools/benchmark_loader.py runs end to end on a tiny synthesized tree (numbers not judged:
timings belong to the benchmark, not to the test suite)."""
import json
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_benchmark_loader_reports_both_paths(tmp_path):
    out = tmp_path / 'loader.json'
    proc = subprocess.run(
        [sys.executable, 'tools/analysis_tools/benchmark_loader.py', '--size', '64x48', '--samples', '3',
         '--crop', '32', '--step-seconds', '0.1', '--out', str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '| PNG decoding |' in proc.stdout and '| frame store (memmap) |' in proc.stdout
    report = json.loads(out.read_text())
    assert report['frame_size'] == [48, 64] and report['crop'] == [32, 32]
    for path in ('png', 'store'):
        r = report['paths'][path]
        assert r['samples_per_s_per_worker'] > 0
        assert r['workers_for_step']['0.1'] >= 1
