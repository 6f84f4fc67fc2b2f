"""The inference API against naive references: windows, encoder cache, tiles, recurrence."""
import numpy as np
import pytest
import torch

from fst_plugin.apis import VideoDeblurInferencer


def to_clip(frs):
    return torch.stack([torch.from_numpy(f).permute(2, 0, 1).float() / 255 for f in frs])[None]


def to_uint8(x):
    return (x[0].clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()


@pytest.mark.parametrize('name', ['fst', 'edvr'])
def test_sliding_window_equals_naive_reference(tmp_path, name, make_model, frames):
    cfg, ckpt, net = make_model(tmp_path, name)
    video = frames()
    outputs = list(VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video)))
    assert len(outputs) == len(video)
    n = len(video)
    for i, out in enumerate(outputs):
        idx = [min(max(i + o, 0), n - 1) for o in range(-2, 3)]  # replicate at both ends
        with torch.no_grad():
            ref = to_uint8(net(to_clip([video[j] for j in idx])))
        assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1, i


def test_encoder_cache_is_exact_and_encodes_each_frame_once(tmp_path, make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames(n=7)
    cached = VideoDeblurInferencer(cfg, ckpt, device='cpu')
    plain = VideoDeblurInferencer(cfg, ckpt, device='cpu', encoder_cache=False)
    for a, b in zip(cached(iter(video)), plain(iter(video))):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
    assert cached.stats['encoded'] == 7 and cached.stats['windows'] == 7


def test_recurrent_runs_one_recurrence_over_the_video(tmp_path, make_model, frames):
    cfg, ckpt, net = make_model(tmp_path, 'stfan')
    video = frames(n=5, h=18, w=26)
    outputs = list(VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video)))
    with torch.no_grad():
        ref = net(to_clip(video))
    for i, out in enumerate(outputs):
        assert np.abs(out.astype(int) - to_uint8(ref[:, i]).astype(int)).max() <= 1


@pytest.mark.parametrize('name,max_diff,min_psnr', [
    ('fst_1scale', 1, 70),  # convolutions only: identical up to rounding
    ('fsta_1scale', 1, 50),  # FSTA attends over the whole tile instead of the frame
    ('stfan', 40, 30),  # 1/4-resolution filters of a random net: context matters more
])
def test_tiled_output_matches_untiled(tmp_path, name, max_diff, min_psnr, make_model,
                                      frames):
    """Tiles of 48 px overlapping by 16 px on a 70x90 clip: no seams, same output.

    (With the trained demo FST, 128 px tiles / 32 px overlap on 256x256 frames differ
    from whole frames by at most 1 level, 59 dB; see the issue-4 note.)"""
    cfg, ckpt, _ = make_model(tmp_path, name)
    video = frames(n=5, h=70, w=90)
    whole = np.stack(list(VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video))))
    tiled = np.stack(list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=48,
                                                tile_overlap=16)(iter(video))))
    diff = np.abs(whole.astype(int) - tiled.astype(int))
    psnr = 10 * np.log10(255**2 / max((diff**2).mean(), 1e-12))
    assert diff.max() <= max_diff and psnr >= min_psnr, (diff.max(), psnr)


def shrink(blurry, restored, levels):
    change = restored - blurry
    return blurry + change.sign() * (change.abs() - levels / 255).clamp(min=0)


def test_min_change_shrinks_the_models_changes(tmp_path, make_model, frames):
    """Windows (FST) and recurrence (STFAN): the output is the model's, with every change
    to a pixel shrunk by ``min_change`` levels; the recurrence still runs on the model's
    own output."""
    video = frames(n=5)
    for name in ('fst', 'stfan'):
        cfg, ckpt, net = make_model(tmp_path, name)
        outputs = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                             min_change=3)(iter(video)))
        with torch.no_grad():
            if name == 'stfan':
                restored = [net(to_clip(video))[:, i] for i in range(len(video))]
            else:
                restored = [net(to_clip([video[min(max(i + o, 0), 4)] for o in range(-2, 3)]))
                            for i in range(len(video))]
        kept = 0
        for frame, out, model_out in zip(video, outputs, restored):
            blurry = to_clip([frame])[0]
            ref = to_uint8(shrink(blurry, model_out.clamp(0, 1), 3))
            assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1, name
            kept += (out == frame).mean()
        assert kept > 0, name  # some changes were small enough to vanish


@pytest.mark.parametrize('radius', [0, 1])
def test_temporal_radius_replaces_far_neighbours_by_the_nearest_kept_frame(
        tmp_path, make_model, frames, radius):
    """FST windows (encoder cache on and off) against the naive reference: frames farther
    than ``radius`` from the target are replaced by the nearest kept one."""
    cfg, ckpt, net = make_model(tmp_path, 'fst')
    video = frames(n=5)
    for cache in (True, False):
        outputs = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                             encoder_cache=cache,
                                             temporal_radius=radius)(iter(video)))
        for i, out in enumerate(outputs):
            idx = [min(max(min(max(i + o, 0), 4), i - radius), i + radius)
                   for o in range(-2, 3)]
            with torch.no_grad():
                ref = to_uint8(net(to_clip([video[j] for j in idx])))
            assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1, (cache, i)
    full = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None)(iter(video)))
    assert any((a != b).any() for a, b in zip(full, outputs))  # the neighbours mattered
    with pytest.raises(ValueError, match='temporal_radius must be >= 0, got -1'):
        VideoDeblurInferencer(cfg, ckpt, device='cpu', temporal_radius=-1)
    stfan_cfg, stfan_ckpt, _ = make_model(tmp_path, 'stfan')
    with pytest.raises(ValueError, match='temporal_radius is for sliding-window.*recurrent'):
        VideoDeblurInferencer(stfan_cfg, stfan_ckpt, device='cpu', temporal_radius=0)


def test_bad_arguments_are_refused(tmp_path, make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    with pytest.raises(ValueError, match='for CUDA devices'):
        VideoDeblurInferencer(cfg, ckpt, device='cpu', dtype='fp16')
    with pytest.raises(ValueError, match='larger than twice the overlap'):
        VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=32, tile_overlap=16)
    for levels in (-1, 255):
        with pytest.raises(ValueError, match=f'min_change .* got {levels}'):
            VideoDeblurInferencer(cfg, ckpt, device='cpu', min_change=levels)
    inf = VideoDeblurInferencer(cfg, ckpt, device='cpu')
    with pytest.raises(ValueError, match='no frames'):
        list(inf(iter([])))
    with pytest.raises(ValueError, match='frame 1 is 10x8 but the video started at 28x20'):
        list(inf(iter([frames(1)[0], np.zeros((8, 10, 3), np.uint8)] + frames(3))))
    other_cfg, other_ckpt, _ = make_model(tmp_path, 'edvr')
    with pytest.raises(ValueError, match='does not match the model'):
        VideoDeblurInferencer(cfg, other_ckpt, device='cpu')


def test_cpu_bf16_close_to_fp32(tmp_path, make_model, frames):
    """bf16 autocast on a CPU: convolutions in bf16 (8 bits of mantissa), within about
    one grey level of fp32 on average for a model away from its identity start."""
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames()
    fp32 = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None)
    torch.manual_seed(0)
    for p in fp32.net.parameters():
        torch.nn.init.normal_(p, std=0.05)
    bf16 = VideoDeblurInferencer(cfg, ckpt, device='cpu', dtype='bf16', tile=None)
    bf16.net.load_state_dict(fp32.net.state_dict())
    ran_bf16 = []
    bf16.net.conv_last.register_forward_hook(
        lambda m, i, o: ran_bf16.append(o.dtype == torch.bfloat16))
    a = np.stack(list(fp32(iter(video)))).astype(int)
    b = np.stack(list(bf16(iter(video)))).astype(int)
    assert ran_bf16 and all(ran_bf16)
    assert np.abs(a - b).mean() < 1.5 and np.abs(a - b).max() > 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_fp16_close_to_cpu(tmp_path, make_model, frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames()
    cpu = list(VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video)))
    gpu = list(VideoDeblurInferencer(cfg, ckpt, device='cuda', dtype='fp16')(iter(video)))
    for a, b in zip(cpu, gpu):
        assert np.abs(a.astype(int) - b.astype(int)).mean() < 1


def test_suspended_generators_do_not_leave_gradients_disabled(tmp_path, make_model,
                                                              frames):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    video = frames(n=7)
    first = VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video))
    second = VideoDeblurInferencer(cfg, ckpt, device='cpu')(iter(video))
    next(first), next(second), next(first)
    assert torch.is_grad_enabled()
    del first, second  # closing suspended generators must not change the mode either
    assert torch.is_grad_enabled()


def test_missing_shipped_weights_are_named(monkeypatch, tmp_path):
    from fst_plugin.apis import model_zoo
    absent = str(tmp_path / 'fst_footage.safetensors')
    monkeypatch.setattr(model_zoo, 'DEFAULT_WEIGHTS', absent)
    with pytest.raises(FileNotFoundError, match='fst_footage.safetensors.*CONFIG and CHECKPOINT'):
        model_zoo.default_weights()


@pytest.mark.parametrize('available_mib, kept', [(64 * 1024, True), (1 / 1024, False)])
def test_keep_memory_only_when_twice_the_planned_peak_fits(tmp_path, make_model, frames,
                                                           monkeypatch, available_mib, kept):
    """keep_memory keeps freed memory in the process (glibc, process-wide) only if twice
    the planned peak fits; the decision is logged and the frames are the same."""
    import fst_plugin.apis.video_deblur_inferencer as module
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    calls, logs = [], []
    monkeypatch.setattr(module, 'keep_freed_memory', lambda: calls.append(1) or True)
    monkeypatch.setattr(module, 'available_memory', lambda device: available_mib * 2**20)
    video = frames(n=4)
    inf = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None, keep_memory=True,
                                log=logs.append)
    out = list(inf(iter(video)))
    plain = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None)(iter(video)))
    assert all(np.array_equal(a, b) for a, b in zip(out, plain))
    assert inf.memory_kept == kept and len(calls) == int(kept)
    assert any(('kept in the process' if kept else 'too little to keep it') in m for m in logs)
