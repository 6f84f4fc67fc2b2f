"""Memory planning for inference: memory available (system, cgroup v1/v2), the measured
profile against a real peak, the plan chosen under a faked limit, and the retry with a
smaller tile after an allocation failure."""
import numpy as np
import pytest
import torch

from fst_plugin.analysis import peak_memory_mb
from fst_plugin.apis import VideoDeblurInferencer
from fst_plugin.apis import memory_plan, video_deblur_inferencer
from fst_plugin.apis.memory_plan import (SAFETY_FACTOR, SAFETY_RESERVE, MemoryProfile,
                                         estimate_peak, is_out_of_memory, plan_candidates,
                                         plan_inference)
from fst_plugin.utils.memory_info import available_memory, cgroup_headroom

MIB = 2**20
ALLOC_ERROR = "DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 bytes"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fake_system(tmp_path, cgroup_lines, mem_available_kb=8 * 2**20):
    proc, cg = tmp_path / 'proc', tmp_path / 'cgroup'
    write(proc / 'meminfo', f'MemTotal: 99999999 kB\nMemAvailable: {mem_available_kb} kB\n')
    write(proc / 'self' / 'cgroup', '\n'.join(cgroup_lines) + '\n')
    return str(proc), cg


def test_cgroup_v2_headroom_counts_ancestors_and_reclaimable_cache(tmp_path):
    proc, cg = fake_system(tmp_path, ['0::/app/job'])
    write(cg / 'app' / 'job' / 'memory.max', 'max')  # no limit of its own
    write(cg / 'app' / 'job' / 'memory.current', str(100 * MIB))
    write(cg / 'app' / 'memory.max', str(3584 * MIB))  # the parent's 3.5 GiB applies
    write(cg / 'app' / 'memory.current', str(1000 * MIB))
    write(cg / 'app' / 'memory.stat', f'anon 1\ninactive_file {200 * MIB}\nactive_file 5\n')
    assert cgroup_headroom(proc, str(cg)) == (3584 - 800) * MIB
    # the smaller of the system's MemAvailable (8 GiB here) and the cgroup headroom
    assert available_memory('cpu', proc, str(cg)) == (3584 - 800) * MIB


def test_cgroup_v1_limit_and_no_limit(tmp_path):
    proc, cg = fake_system(tmp_path, ['5:cpu,cpuacct:/x', '4:memory:/docker/abc'],
                           mem_available_kb=2 * 2**20)
    write(cg / 'memory' / 'docker' / 'abc' / 'memory.limit_in_bytes', str(2**63 - 4096))
    assert cgroup_headroom(proc, str(cg)) is None  # "no limit" is a huge number in v1
    assert available_memory('cpu', proc, str(cg)) == 2 * 2**30  # MemAvailable alone
    write(cg / 'memory' / 'docker' / 'abc' / 'memory.limit_in_bytes', str(1024 * MIB))
    write(cg / 'memory' / 'docker' / 'abc' / 'memory.usage_in_bytes', str(300 * MIB))
    write(cg / 'memory' / 'docker' / 'abc' / 'memory.stat',
          f'cache 1\ntotal_inactive_file {100 * MIB}\n')
    assert cgroup_headroom(proc, str(cg)) == (1024 - 200) * MIB
    assert available_memory('cpu', proc, str(cg)) == (1024 - 200) * MIB


def test_unreadable_memory_is_none(tmp_path):
    assert available_memory('cpu', str(tmp_path / 'nope'), str(tmp_path)) is None


PROFILES = {True: MemoryProfile(kept_per_pixel=200, run_per_pixel=3000,
                                kept_frames=5),
            False: MemoryProfile(kept_per_pixel=0, run_per_pixel=5000,
                                 kept_frames=0)}


@pytest.mark.parametrize('available_mib', [64000, 3000, 1200, 700, 400])
def test_plan_is_the_first_candidate_that_fits(available_mib):
    size, measured = (720, 1280), []

    def profile_of(cache):
        measured.append(cache)
        return PROFILES[cache]
    available = available_mib * MIB
    budget = (available - SAFETY_RESERVE) / SAFETY_FACTOR
    candidates = plan_candidates(size, True, True, 32)
    estimates = [estimate_peak(PROFILES[c], size, t, 5) for t, c in candidates]
    fitting = [i for i, e in enumerate(estimates) if e <= budget]
    if not fitting:
        with pytest.raises(MemoryError, match=r'needs about \d+ MiB.*400 MiB is available'):
            plan_inference(profile_of, size, 5, available, True, True)
        return
    plan = plan_inference(profile_of, size, 5, available, True, True)
    assert (plan.tile, plan.encoder_cache) == candidates[fitting[0]]
    assert plan.estimate == estimates[fitting[0]] <= budget
    if available_mib == 64000:
        assert plan.tile is None and plan.encoder_cache and measured == [True]
    else:
        assert plan.tile is not None
    # smaller memory never gives a larger tile or more features kept
    assert 'estimated peak' in plan.describe()


def test_plan_respects_no_encoder_cache_and_unknown_memory():
    plan = plan_inference(PROFILES.get, (720, 1280), 5, 3000 * MIB, False, True)
    assert not plan.encoder_cache
    plan = plan_inference(PROFILES.get, (720, 1280), 5, None, True, True)
    assert plan.tile is None and plan.estimate is None


def test_allocation_failures_are_recognised():
    assert is_out_of_memory(RuntimeError(ALLOC_ERROR))
    assert is_out_of_memory(RuntimeError('CUDA out of memory. Tried to allocate 2 GiB'))
    assert is_out_of_memory(MemoryError())
    assert not is_out_of_memory(RuntimeError('shape mismatch'))


@pytest.mark.parametrize('name,encoder_cache', [('fst', True), ('fst', False), ('edvr', False),
                                                ('stfan', False)])
def test_estimate_is_within_a_stated_factor_of_the_measured_peak(tmp_path, name,
                                                                 encoder_cache, make_model,
                                                                 frames):
    """The extrapolated estimate against the process's real peak (VmHWM) at 192x256:
    within 0.5x-2x (the planner adds a margin of SAFETY_FACTOR on top)."""
    cfg, ckpt, _ = make_model(tmp_path, name)
    inferencer = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                       encoder_cache=encoder_cache)
    video = frames(n=6, h=192, w=256)
    estimate = inferencer.estimate_peak((192, 256), None, encoder_cache)
    peak = peak_memory_mb(lambda: list(inferencer(iter(video))))
    if estimate is None or peak is None:
        pytest.skip('peak memory cannot be measured here (no Linux /proc)')
    assert 0.5 <= estimate / MIB / peak <= 2.0, (estimate / MIB, peak)


def test_auto_tile_follows_a_faked_memory_limit(tmp_path, monkeypatch, make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames(n=5, h=200, w=300)
    plenty = VideoDeblurInferencer(cfg, ckpt, device='cpu')
    whole = list(plenty(iter(video)))
    assert plenty.plan.tile is None and plenty.plan.encoder_cache
    # just too little for whole frames with the cache: the largest tile that fits
    need = plenty.estimate_peak((200, 300), None, True)
    monkeypatch.setattr(video_deblur_inferencer, 'available_memory',
                        lambda device: int(need * SAFETY_FACTOR + SAFETY_RESERVE) - 1)
    logged = []
    tight = VideoDeblurInferencer(cfg, ckpt, device='cpu', log=logged.append)
    tight.profiles = plenty.profiles  # the same measurement (a new one differs by noise)
    tiled = list(tight(iter(video)))
    assert tight.plan.tile in (256, 192, 128) and tight.plan.encoder_cache
    assert tight.plan.estimate < need
    assert f'memory plan for 300x200: tile {tight.plan.tile}, encoder cache on' in logged[0]
    reference = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=tight.plan.tile)
    for a, b in zip(tiled, reference(iter(video))):
        assert np.array_equal(a, b)
    assert len(tiled) == len(whole)
    # far too little: refused before any frame, naming what is needed and available
    monkeypatch.setattr(video_deblur_inferencer, 'available_memory', lambda device: MIB)
    starved = VideoDeblurInferencer(cfg, ckpt, device='cpu')
    starved.profiles = plenty.profiles
    with pytest.raises(MemoryError, match='MiB is available'):
        next(starved(iter(video)))


def fail_above(monkeypatch, net, method, max_pixels, calls):
    """Make ``net.method`` raise the CPU allocator's error on inputs over ``max_pixels``."""
    original = getattr(net, method)

    def guarded(x, *args, **kwargs):
        first = x[0] if isinstance(x, (list, tuple)) else x
        calls.append(first.shape[-2] * first.shape[-1])
        if first.shape[-2] * first.shape[-1] > max_pixels:
            raise RuntimeError(ALLOC_ERROR)
        return original(x, *args, **kwargs)
    monkeypatch.setattr(net, method, guarded)


@pytest.mark.parametrize('encoder_cache', [True, False])
def test_allocation_failure_halves_the_tile_and_keeps_the_output(tmp_path, monkeypatch,
                                                                 encoder_cache, make_model,
                                                                 frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames(n=6, h=160, w=256)
    reference = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=128,
                                           encoder_cache=encoder_cache)(iter(video)))
    logged, calls = [], []
    inferencer = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                       encoder_cache=encoder_cache, log=logged.append)
    # whole frames (160x256) fail; tiles of 128x128 fit
    fail_above(monkeypatch, inferencer.net, 'decode' if encoder_cache else 'forward',
               128 * 128, calls)
    outputs = list(inferencer(iter(video)))
    assert len(outputs) == len(video)
    assert inferencer.stats['retries'] == 1 and inferencer.tile == 128
    assert 'retrying the window with tile 128' in logged[0]
    for a, b in zip(outputs, reference):
        assert np.array_equal(a, b)


def test_failure_at_the_smallest_tile_stops_with_a_message_and_keeps_earlier_frames(
        tmp_path, monkeypatch, make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames(n=6, h=160, w=256)
    inferencer = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None, log=lambda m: None)
    original, windows = inferencer._restore_window_impl, []

    def fails_from_the_third_window(target, *args):
        windows.append(target)
        if target >= 2:
            raise RuntimeError(ALLOC_ERROR)
        return original(target, *args)
    monkeypatch.setattr(inferencer, '_restore_window_impl', fails_from_the_third_window)
    done = []
    with pytest.raises(MemoryError, match=r'smallest tile \(128 px\).*available: \d+ MiB'):
        for out in inferencer(iter(video)):
            done.append(out)
    assert len(done) == 2  # the frames restored before the failure were delivered
    assert windows == [0, 1, 2, 2]  # whole frames, then tiles of 128 for frame 2


def test_recurrent_model_retries_with_tiles_and_keeps_every_frame(tmp_path, monkeypatch,
                                                                  make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'stfan')
    video = frames(n=5, h=128, w=192)
    logged, calls = [], []
    inferencer = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None, log=logged.append)
    original = inferencer.net.step

    def step(blurry, *args):
        calls.append(blurry.shape[-2:])
        if len(calls) > 2 and blurry.shape[-1] > 96:  # whole frames fail from frame 2
            raise RuntimeError(ALLOC_ERROR)
        return original(blurry, *args)
    monkeypatch.setattr(inferencer.net, 'step', step)
    outputs = list(inferencer(iter(video)))
    assert len(outputs) == 5 and all(o.shape == (128, 192, 3) for o in outputs)
    assert inferencer.stats['retries'] == 1 and inferencer.tile == 96
    unpatched = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None)(iter(video)))
    for a, b in zip(outputs[:2], unpatched[:2]):  # before the failure: unchanged
        assert np.array_equal(a, b)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_memory_is_read_from_the_device():
    free = available_memory('cuda')
    assert 0 < free <= torch.cuda.get_device_properties(0).total_memory


def test_module_has_no_import_time_side_effects():
    assert memory_plan.TILE_SIDES[0] > memory_plan.TILE_SIDES[-1]
