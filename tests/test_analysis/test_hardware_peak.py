import pytest

from fst_plugin.analysis.hardware_peak import best_time, cpu_flags, measure_peak


def test_peak_is_measured_for_both_dtypes_and_bad_dtype_is_named():
    for dtype in ('fp32', 'bf16'):
        peak = measure_peak(dtype, matmul_size=128, conv_side=16, conv_channels=8, repeats=1)
        assert set(peak) == {'matmul_gflops', 'conv_gflops'}
        assert all(v > 0.01 for v in peak.values()), peak
    with pytest.raises(ValueError, match="dtype must be one of.*'fp16'"):
        measure_peak('fp16')


def test_best_time_is_the_fastest_run():
    delays = iter([0.0, 0.03, 0.001, 0.02])  # warm-up, then three timed runs
    import time
    assert best_time(lambda: time.sleep(next(delays)), repeats=3) < 0.015


def test_cpu_flags_are_booleans():
    flags = cpu_flags()
    assert all(isinstance(v, bool) for v in flags.values())
    assert not flags or {'avx512_bf16', 'amx_bf16'} <= set(flags)
