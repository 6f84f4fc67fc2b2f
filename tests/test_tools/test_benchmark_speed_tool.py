import json
import sys


def test_speed_benchmark_rows_are_consistent(tmp_path, run_tool):
    """--quick: every asked row exists, its throughput and shares follow from its own MACs,
    seconds and the peak measured in the same run, and the chosen layout is the faster."""
    out = tmp_path / 'speed'
    text = run_tool([sys.executable, 'tools/benchmark_speed.py', '--quick', '--out-dir',
                     str(out), '--networks', 'FST, encoder cache', 'STFAN'])
    result = json.loads((out / 'speed.json').read_text())
    assert (out / 'speed.png').stat().st_size > 0 and 'done; written to' in text
    rows = {(r['network'], r['mode'], r['dtype']): r for r in result['rows']}
    assert set(rows) == {('FST, encoder cache', 'inference', 'fp32'),
                         ('FST, encoder cache', 'inference', 'bf16'),
                         ('STFAN', 'inference', 'fp32'), ('STFAN', 'inference', 'bf16'),
                         ('STFAN', 'training step', 'fp32'), ('STFAN', 'training step', 'bf16')}
    for r in result['rows']:
        assert abs(r['gflops'] - 2 * r['gmacs'] / r['seconds']) < 1e-9 * r['gflops']
        peak = result['peak'][r['dtype']]['matmul_gflops']
        assert abs(r['share_of_peak'] - r['gflops'] / peak) < 1e-12
        assert r['layout'] == result['layouts'][r['network']]['chosen']
    # the same network and size cost the same MACs in either dtype; a training step 3x a
    # forward of the whole 5-frame clip, more than one STFAN step
    assert rows[('STFAN', 'inference', 'fp32')]['gmacs'] == rows[('STFAN', 'inference', 'bf16')]['gmacs']
    assert rows[('STFAN', 'training step', 'fp32')]['gmacs'] > \
        3 * rows[('STFAN', 'inference', 'fp32')]['gmacs']
    for name, lay in result['layouts'].items():
        assert lay['chosen'] == min(('default', 'channels_last'), key=lay.get)
    md = (out / 'speed.md').read_text()
    assert '| STFAN | training step | 32x32 | bf16 |' in md


def test_profile_groups_every_operator(tmp_path, run_tool):
    out = tmp_path / 'profile'
    run_tool([sys.executable, 'tools/profile_model.py', '--size', '32x32', '--mode',
              'training', '--out-dir', str(out), '--trace'])
    result = json.loads((out / 'profile.json').read_text())
    kinds = {k['kind']: k for k in result['kinds']}
    assert abs(sum(k['ms'] for k in kinds.values()) - result['total_ms']) < 1e-3 * result['total_ms'] + 0.01
    assert abs(sum(k['share'] for k in kinds.values()) - 1) < 1e-6
    # a training step has convolutions both ways, concatenations (dense blocks) and Adam
    assert {'convolution', 'convolution backward', 'concatenation', 'optimizer'} <= set(kinds)
    assert kinds['convolution backward']['top'][0]['op'].endswith('convolution_backward')
    assert (out / 'trace.json').stat().st_size > 0
    assert 'FST training step, 32x32, fp32' in (out / 'profile.md').read_text()
