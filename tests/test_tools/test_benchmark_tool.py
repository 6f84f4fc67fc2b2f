import json
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_tiny_benchmark_writes_fits_ratios_and_skips_over_budget(tmp_path):
    # the full run takes minutes (tools/analysis_tools/benchmark.py, not a test); this one checks the
    # pipeline on tiny sizes: every fusion measured, non-local predicted over budget
    # skipped, fits, ratios, network rows, Markdown and the plot
    out = str(tmp_path / 'bench')
    proc = subprocess.run(
        [sys.executable, 'tools/analysis_tools/benchmark.py', '--out-dir', out, '--channels', '4',
         '--frames', '2', '--sides', '8', '12', '--model-sizes', '32x32',
         '--budget-mib', '0.6'], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(out)) == ['benchmark.json', 'benchmark.md', 'fusion_scaling.png']
    with open(osp.join(out, 'benchmark.json')) as f:
        result = json.load(f)
    rows = {(r['fusion'], r['side']): r for r in result['fusion']}
    # (T*H*W)^2 attention at T=2, 12x12: 3 float32 copies = 0.95 MiB > 0.6 MiB budget
    assert rows[('non-local (full block)', 12)].get('skipped') is True
    first = [rows[(name, 8)] for name in ('FSTA', 'non-local (ref. queries)',
                                          'non-local (full block)', 'concat')]
    assert all(r['fwd_s'] > 0 and not r.get('skipped') for r in first)
    ratios = {(p['fusion'], p['side']) for p in result['nonlocal_vs_fsta']['per_size']}
    assert {('non-local (ref. queries)', 8), ('non-local (full block)', 8)} <= ratios
    models = {m['model']: m for m in result['models']}
    assert set(models) == {'FST', 'FST (encoder cache)', 'EDVR-deblur', 'STFAN'}
    assert models['FST (encoder cache)']['macs'] < models['FST']['macs']
    assert models['EDVR-deblur']['params'] > models['STFAN']['params'] > models['FST']['params']
    md = open(osp.join(out, 'benchmark.md')).read()
    assert '| FSTA |' in md and '| EDVR-deblur | 32x32 |' in md
