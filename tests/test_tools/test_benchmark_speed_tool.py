import json
import sys


def test_speed_benchmark_rows_are_consistent(tmp_path, run_tool):
    """--quick: every asked row exists, its throughput and shares follow from its own MACs,
    seconds and the peak measured in the same run, and the chosen layout is the faster."""
    out = tmp_path / 'speed'
    text = run_tool([sys.executable, 'tools/analysis_tools/benchmark_speed.py', '--quick', '--out-dir',
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
        local = r['local_peak_gflops']
        assert set(local) == {'fp32', r['dtype']}
        assert abs(r['share_of_peak'] - r['gflops'] / local[r['dtype']]) < 1e-12
        assert abs(r['share_of_fp32_peak'] - r['gflops'] / local['fp32']) < 1e-12
        best = result['peak']['fp32']['peak_gflops']
        assert abs(r['share_of_best_fp32_peak'] - r['gflops'] / best) < 1e-12
        runs = result['peak_runs']['fp32']
        assert len(runs) == 2 and best == max(max(run['matmul_gflops'], run['conv_gflops'])
                                              for run in runs)
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
    run_tool([sys.executable, 'tools/analysis_tools/profile_model.py', '--size', '32x32', '--mode',
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


def test_dtype_psnr_compares_against_the_first_dtype(tmp_path, tiny_gopro, run_tool):
    """Shipped weights on a tiny test split in fp32 and bf16: fp32 is the reference (no
    change, no difference), bf16 differs a little, and the overall row pools the frames."""
    out = tmp_path / 'dtype'
    run_tool([sys.executable, 'tools/analysis_tools/dtype_psnr.py', tiny_gopro, '--out-dir', str(out)])
    rows = json.loads((out / 'dtype_psnr.json').read_text())['rows']
    overall = {r['dtype']: r for r in rows if r['sequence'] == 'all'}
    assert overall['fp32']['change_db'] == 0 and overall['fp32']['mean_abs_diff'] == 0
    assert 0 < overall['bf16']['mean_abs_diff'] < 2
    assert abs(overall['bf16']['change_db']) < 0.5
    per_seq = [r for r in rows if r['dtype'] == 'bf16' and r['sequence'] != 'all']
    assert overall['bf16']['frames'] == sum(r['frames'] for r in per_seq) == 6
    assert '| bf16 | all | 6 |' in (out / 'dtype_psnr.md').read_text()
