"""tools/misc/train_footage_gpu.py: the plain training loop for GPU machines without MMagic."""
import json
import os.path as osp
import random
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from safetensors.torch import load_file

from fst_plugin.apis.model_loading import load_model

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'misc'))
import train_footage_gpu as tool  # noqa: E402


def test_generator_is_read_from_the_model_config_without_running_it():
    generator = Config.fromfile(osp.join(ROOT, 'configs/fst_gopro.py')).model.generator.to_dict()
    generator.pop('type')
    normalise = lambda d: json.loads(json.dumps(d))  # noqa: E731  (tuples -> lists)
    assert tool.generator_spec()[0] == 'FSTNet'
    assert normalise(tool.generator_spec()[1]) == normalise(generator)
    control = osp.join(ROOT, 'configs/_base_/models/single_frame_control.py')
    assert tool.generator_spec(control) == ('SingleFrameControlNet', dict(mid_channels=32,
                                                                          num_frames=5))
    # a config that inherits its generator: read through its _base_ files, as MMEngine does
    local = osp.join(ROOT, 'configs/_base_/models/fst_local_path.py')
    want = Config.fromfile(local).model.generator.to_dict()
    assert want.pop('type') == tool.generator_spec(local)[0] == 'FSTNet'
    assert normalise(tool.generator_spec(local)[1]) == normalise(want)
    assert want['fusion']['type'] == 'FSTAttentionWithLocalPath'
    # a network the loop does not train is refused by name
    stfan = osp.join(ROOT, 'configs/stfan/stfan-s_1xb4-900i_demo.py')
    with pytest.raises(ValueError, match='stfan-s_1xb4-900i_demo.py'):
        tool.generator_spec(stfan)


WORKER_THREADS = """
import multiprocessing as mp, sys
import cv2, numpy as np, torch
sys.path.insert(0, 'tools/misc')
import train_footage_gpu as tool
# the parent has used OpenCV's and PyTorch's thread pools before it forks, as in a run
cv2.resize(np.zeros((64, 64, 3), np.uint8), (32, 32))
torch.ones(256, 256) @ torch.ones(256, 256)
with mp.get_context('fork').Pool(1, initializer=tool.single_threaded_worker) as pool:
    print('worker threads', pool.apply_async(cv2.getNumThreads).get(timeout=60))
"""


def test_synthesis_workers_run_one_opencv_thread_each():
    # in a fresh interpreter, as the tool runs: forking the test process itself, with the
    # threads earlier tests left behind, can deadlock the child
    import subprocess
    proc = subprocess.run([sys.executable, '-c', WORKER_THREADS], cwd=ROOT, timeout=120,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'worker threads 1' in proc.stdout


def _pool(num_frames=6, size=(12, 10)):
    """One sequence whose blur frame k is filled with k and sharp frame k with 100 + k."""
    h, w = size
    blur = np.stack([np.full((h, w, 3), k, np.uint8) for k in range(num_frames)])
    pool = tool.FramePool(torch.device('cpu'))
    pool.add(dict(name='seq'), blur, blur + 100)
    return pool


def test_batch_windows_replicate_edges_and_keep_the_target_centred():
    pool = _pool()
    rng = random.Random(0)
    seen_centres = set()
    for _ in range(40):
        inputs, targets = pool.batch(4, 8, 0.0, rng)
        assert inputs.shape == (4, 5, 3, 8, 8) and targets.shape == (4, 3, 8, 8)
        for clip, gt in zip(inputs, targets):
            values = [round(v * 255) for v in clip.mean(dim=(1, 2, 3)).tolist()]
            centre = round(gt.mean().item() * 255) - 100
            seen_centres.add(centre)
            assert values[2] == centre  # time reversal keeps the centre
            window = [min(max(centre + d, 0), 5) for d in range(-2, 3)]
            assert values in (window, window[::-1])
    assert seen_centres == set(range(6))


def test_frame_strides_space_the_neighbours_and_one_keeps_the_old_batches():
    pool = _pool(num_frames=12)
    rng = random.Random(4)
    seen = set()
    for _ in range(30):
        inputs, targets = pool.batch(4, 8, 0.0, rng, frame_strides=(1, 3))
        for clip, gt in zip(inputs, targets):
            values = [round(v * 255) for v in clip.mean(dim=(1, 2, 3)).tolist()]
            centre = round(gt.mean().item() * 255) - 100
            windows = {s: [min(max(centre + d * s, 0), 11) for d in range(-2, 3)]
                       for s in (1, 3)}
            stride = next(s for s, w in windows.items() if values in (w, w[::-1]))
            seen.add(stride if 2 < centre < 9 else None)
    assert {1, 3} <= seen
    old = _pool().batch(6, 8, 0.2, random.Random(7))
    new = _pool().batch(6, 8, 0.2, random.Random(7), frame_strides=(1, ))
    assert all(torch.equal(a, b) for a, b in zip(old, new))
    with pytest.raises(SystemExit):
        tool.parse_args(['--frame-strides', '0'])
    assert tool.parse_args(['--frame-strides', '1', '2']).frame_strides == [1, 2]


def test_identity_share_feeds_sharp_frames():
    pool = _pool()
    inputs, targets = pool.batch(8, 8, 1.0, random.Random(1))
    assert (inputs >= 100 / 255 - 1e-6).all()
    assert torch.equal(inputs[:, 2], targets)


def test_static_clip_averages_noisy_copies_of_one_frame_and_targets_the_middle_one():
    base = torch.randint(0, 256, (3, 6, 7), dtype=torch.uint8)
    gen = torch.Generator().manual_seed(0)
    clip, target, stored = tool.static_average_clip(base, 5, 3, 1.5, False, gen)
    assert clip.shape == (5, 3, 6, 7) and target.shape == (3, 6, 7)
    assert stored.shape == (15, 3, 6, 7) and clip.dtype == target.dtype == torch.uint8
    # naive reference: blurry frame j is the rounded mean of stored frames 3j, 3j+1, 3j+2
    for j in range(5):
        mean = stored[3 * j:3 * j + 3].double().mean(dim=0)
        assert (clip[j].double() - mean).abs().max() <= 0.5 + 1e-9
    assert torch.equal(target, stored[7])  # middle frame of the centre window
    noise = stored.double() - base.double()
    clipped = (base == 0) | (base == 255)
    assert 1.2 < noise[:, ~clipped].std() < 1.8  # sigma 1.5, rounded
    assert not torch.equal(stored[0], stored[1])  # every stored frame has its own noise


def test_static_clip_without_noise_is_the_frame_itself_and_smooth_noise_keeps_sigma():
    base = torch.randint(20, 230, (3, 32, 32), dtype=torch.uint8)
    clip, target, _ = tool.static_average_clip(base, 5, 2, 0.0, True,
                                               torch.Generator().manual_seed(1))
    assert torch.equal(target, base) and all(torch.equal(f, base) for f in clip)
    _, _, stored = tool.static_average_clip(base, 5, 4, 3.0, True,
                                            torch.Generator().manual_seed(2))
    noise = stored.double() - base.double()
    assert 2.5 < noise.std() < 3.5
    # smoothed noise is correlated between neighbouring pixels, plain noise is not
    corr = lambda n: torch.corrcoef(torch.stack([n[..., :-1].flatten(),  # noqa: E731
                                                 n[..., 1:].flatten()]))[0, 1]
    _, _, plain = tool.static_average_clip(base, 5, 4, 3.0, False,
                                           torch.Generator().manual_seed(2))
    assert corr(noise) > 0.4 and abs(corr(plain.double() - base.double())) < 0.1


def test_static_share_feeds_still_scenes_of_the_centre_sharp_frame():
    pool = _pool()
    inputs, targets = pool.batch(8, 8, 0.0, random.Random(3), static_share=1.0,
                                 static_sigma=(0.0, 0.0))
    # without noise a still scene is its sharp frame in every input frame and the target
    assert torch.equal(inputs, targets[:, None].expand_as(inputs))
    assert (targets >= 100 / 255 - 1e-6).all()
    inputs, targets = pool.batch(8, 8, 0.0, random.Random(3), static_share=1.0)
    err = (inputs - targets[:, None]).abs() * 255
    assert 0 < err.mean() < 3


def test_shrink_is_an_antialiased_bilinear_filter_and_keeps_full_size_crops():
    frames = torch.randint(0, 256, (5, 3, 12, 12), dtype=torch.uint8)
    assert tool.shrink(frames, 12) is frames
    half = tool.shrink(frames, 6)
    assert half.shape == (5, 3, 6, 6) and half.dtype == torch.uint8
    # naive reference: a 2x antialiased bilinear shrink (PIL's) weighs input pixels
    # 2i-1 .. 2i+2 by 1, 3, 3, 1 (/8) along each axis; checked on the interior
    ref = torch.zeros(5, 3, 4, 4, dtype=torch.float64)
    taps = (1 / 8, 3 / 8, 3 / 8, 1 / 8)
    for i in range(1, 5):
        for j in range(1, 5):
            for a, wa in enumerate(taps):
                for b, wb in enumerate(taps):
                    ref[..., i - 1, j - 1] += wa * wb * frames[..., 2 * i - 1 + a,
                                                               2 * j - 1 + b].double()
    assert (half[..., 1:5, 1:5].double() - ref).abs().max() <= 0.5 + 1e-6
    assert tool.shrink(frames[0], 4).shape == (3, 4, 4)


def test_downscale_share_shrinks_larger_cuts_and_zero_keeps_the_old_batches():
    # columns hold their index: a cut of width n shrunk to 8 spans n columns, so the
    # spread of a target row grows with the cut while a plain crop spans 8
    num_frames, h, w = 6, 20, 20
    sharp = np.broadcast_to(np.arange(w, dtype=np.uint8)[None, None, :, None] * 10,
                            (num_frames, h, w, 3)).copy()
    pool = tool.FramePool(torch.device('cpu'))
    pool.add(dict(name='ramp'), sharp, sharp)
    spans = set()
    for seed in range(20):
        inputs, targets = pool.batch(4, 8, 0.0, random.Random(seed), downscale_share=1.0,
                                     min_scale=0.4)
        assert inputs.shape == (4, 5, 3, 8, 8) and targets.shape == (4, 3, 8, 8)
        assert torch.equal(inputs[:, 2], targets)  # inputs and target cut and shrunk alike
        for gt in targets:
            span = max(gt[0, 0].max() - gt[0, 0].min(), gt[0, :, 0].max() - gt[0, :, 0].min())
            spans.add(round(span.item() * 255 / 10))
    assert max(spans) > 10 and min(spans) >= 7  # cuts of 8 to 20 columns, never smaller
    old = _pool().batch(6, 8, 0.2, random.Random(7), static_share=0.3)
    new = _pool().batch(6, 8, 0.2, random.Random(7), static_share=0.3, downscale_share=0.0)
    assert all(torch.equal(a, b) for a, b in zip(old, new))


def test_min_scale_outside_zero_to_one_is_refused_by_name(capsys):
    for value in ('0', '1.2'):
        with pytest.raises(SystemExit):
            tool.parse_args(['--min-scale', value])
        assert f'--min-scale must be in (0, 1], got {float(value)}' in capsys.readouterr().err
    assert tool.parse_args(['--min-scale', '1']).min_scale == 1


@pytest.mark.parametrize('option', ['--static-share', '--identity-share', '--natural-share',
                                    '--downscale-share'])
def test_shares_outside_zero_to_one_are_refused_by_name(option, capsys):
    with pytest.raises(SystemExit):
        tool.parse_args([option, '1.5'])
    assert f'{option} is a share of the samples, in [0, 1]; got 1.5' in capsys.readouterr().err
    assert getattr(tool.parse_args([option, '1']), option[2:].replace('-', '_')) == 1


def test_crop_larger_than_a_sequence_names_it():
    with pytest.raises(ValueError, match='seq.*smaller than --crop 16'):
        _pool().batch(1, 16, 0.0, random.Random(0))


def test_learning_rate_warms_up_then_follows_a_cosine_in_wall_time():
    args = tool.parse_args(['--lr', '1e-3', '--min-lr', '1e-5', '--warmup-iters', '10'])
    assert tool.learning_rate(args, 0, 0.0) == pytest.approx(1e-3 * (0.01 + 0.99 * 0.1))
    assert tool.learning_rate(args, 9, 0.0) == pytest.approx(1e-3)
    assert tool.learning_rate(args, 100, 0.5) == pytest.approx((1e-3 + 1e-5) / 2)
    assert tool.learning_rate(args, 100, 1.0) == pytest.approx(1e-5)


def _footage(folder):
    """A tiny moving-texture clip to train on, and a held-out and a validation-only entry
    whose files are absent (training that read them would fail)."""
    rng = np.random.default_rng(0)
    base = cv2.resize(rng.integers(0, 256, (12, 16, 3)).astype(np.uint8), (120, 90),
                      interpolation=cv2.INTER_NEAREST)
    path = osp.join(folder, 'street.avi')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25, (96, 72))
    for k in range(40):
        writer.write(np.ascontiguousarray(base[k % 16:k % 16 + 72, k % 20:k % 20 + 96]))
    writer.release()
    with open(osp.join(folder, 'footage.json'), 'w') as f:
        json.dump(dict(street=dict(path=path),
                       cup=dict(path='/nowhere/cup.mp4', held_out=True),
                       tree=dict(path='/nowhere/tree.avi', validation=True)), f)


def _train_without_mmagic(tmp_path, run_tool, *options):
    """Three iterations on a tiny clip in a child without MMagic; the raw dir and output."""
    footage = tmp_path / 'footage'
    footage.mkdir()
    _footage(str(footage))
    raw = tmp_path / 'raw'
    # the machine it is for has no mmcv/mmengine/mmagic: hide them from the child
    code = ("import sys, runpy; sys.modules.update(mmagic=None, mmengine=None); "
            "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    out = run_tool([
        sys.executable, '-c', code, 'tools/misc/train_footage_gpu.py', '--footage', str(footage),
        '--out', str(raw), '--device', 'cpu', '--dtype', 'fp32', '--workers', '1',
        '--size', '64x48', '--frames', '4', '--crop', '32', '--batch-size', '2',
        '--min-sequences', '2', '--max-iters', '3', '--minutes', '5', '--snapshots', '1',
        '--warmup-iters', '1', '--lr', '1e-2', *options
    ])
    return raw, out


def _paper_fst_weights(path, seed=0):
    """``generator.*`` weights of the paper's FSTNet (the tool's default network), written to
    ``path``: what the GPU runs started from, whatever network ships."""
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    name, kwargs = tool.generator_spec()
    net = tool.import_network(name)(**kwargs)
    save_file({f'generator.{k}': v.contiguous() for k, v in net.state_dict().items()}, str(path))
    return str(path)


def test_trains_without_mmagic_and_exports_project_weights(tmp_path, run_tool):
    init = _paper_fst_weights(tmp_path / 'fst.safetensors')
    raw, out = _train_without_mmagic(tmp_path, run_tool, '--init', init)
    assert "held out (never read): ['cup.mp4', 'tree.avi']" in out
    log = json.loads((raw / 'train_log.json').read_text())
    assert log['iterations'] == 3 and log['sequences'] >= 2
    assert all(np.isfinite(rec['loss']) for rec in log['log'])

    work_dir = tmp_path / 'work'
    written = tool.main(['--export', str(raw), '--config', 'configs/fst_gopro.py',
                         '--work-dir', str(work_dir)])
    assert [osp.basename(p) for p in written] == ['iter_3.safetensors']
    start = load_file(init)
    trained = load_file(written[0])
    assert trained.keys() == start.keys()
    assert any(not torch.equal(trained[k], start[k]) for k in start)  # it trained
    model = load_model(None, written[0])  # config read from the weights
    with torch.no_grad():
        out = model.generator(torch.rand(1, 5, 3, 16, 16))
    assert out.shape == (1, 3, 16, 16)
    assert (work_dir / 'train_log.json').is_file()


def test_trains_the_single_frame_control_without_mmagic(tmp_path, run_tool):
    raw, _ = _train_without_mmagic(tmp_path, run_tool, '--model-config',
                                   'configs/_base_/models/single_frame_control.py',
                                   '--static-share', '0.5')
    log = json.loads((raw / 'train_log.json').read_text())
    assert log['args']['static_share'] == 0.5
    assert all(np.isfinite(rec['loss']) for rec in log['log'])
    control = tmp_path / 'single_frame_control_footage.py'
    footage_config = osp.join(ROOT, 'configs/fst/fst-local-path_1xb4-850i_footage.py')
    control.write_text(f"_base_ = [{footage_config!r}]\n"
                       "model = dict(generator=dict(type='SingleFrameControlNet', "
                       "mid_channels=32, num_frames=5, _delete_=True))\n")
    written = tool.main(['--export', str(raw), '--config', str(control),
                         '--work-dir', str(tmp_path / 'work')])
    model = load_model(None, written[0])  # config read from the weights
    assert type(model.generator).__name__ == 'SingleFrameControlNet'
    # zero-initialised output conv: non-zero only because it trained
    assert model.generator.conv_last.weight.abs().sum() > 0
    clip = torch.rand(1, 5, 3, 16, 16)
    with torch.no_grad():
        assert model.generator(clip).shape == (1, 3, 16, 16)


def test_init_weights_fit_or_name_what_is_new(tmp_path):
    """The paper's FST weights start FST + local path with only ``local_path.*`` new, and
    only when asked; weights of another network are refused with the keys named."""
    spec = tool.generator_spec(osp.join(ROOT, 'configs/_base_/models/fst_local_path.py'))
    assert spec[1]['fusion']['type'] == 'FSTAttentionWithLocalPath'
    hybrid = tool.import_network(spec[0])(**spec[1])
    paper = _paper_fst_weights(tmp_path / 'fst_footage.safetensors')
    with pytest.raises(ValueError, match=r'fusions\.0\.local_path\.body\.0\.bias.*--init-new-keys'):
        tool.load_init_weights(hybrid, paper)
    new = tool.load_init_weights(hybrid, paper, new_keys_ok=True)
    assert len(new) == 12 and all('.local_path.' in k for k in new)
    state, loaded = load_file(paper), hybrid.state_dict()
    assert all(torch.equal(loaded[k[len('generator.'):]], v) for k, v in state.items())
    control = tool.import_network('SingleFrameControlNet')(mid_channels=8, num_frames=5)
    with pytest.raises(ValueError, match='(?s)fst_footage.safetensors does not fit '
                       'SingleFrameControlNet.*size mismatch'):
        tool.load_init_weights(control, paper, new_keys_ok=True)
    control = tool.import_network('SingleFrameControlNet')(mid_channels=32, num_frames=5)
    with pytest.raises(ValueError, match=r'unexpected \[.*fusions'):
        tool.load_init_weights(control, paper, new_keys_ok=True)


def test_max_sequences_ends_the_task_stream_and_must_cover_the_minimum(tmp_path):
    tasks = list(tool.task_stream(['a.mp4'], 5, str(tmp_path), limit=7, size=(64, 48)))
    assert [t[0] for t in tasks] == list(range(7))
    endless = tool.task_stream(['a.mp4'], 5, str(tmp_path), size=(64, 48))
    assert [next(endless)[4] for _ in range(7)] == [t[4] for t in tasks]  # same seeds
    args = tool.parse_args(['--footage', str(tmp_path), '--out', str(tmp_path / 'raw'),
                            '--min-sequences', '8', '--max-sequences', '7'])
    with pytest.raises(SystemExit, match='--max-sequences 7 is below --min-sequences 8'):
        tool.train(args)


def test_natural_share_adds_dead_leaves_scenes_and_zero_keeps_the_old_stream(tmp_path):
    def stream(**kw):
        return list(tool.task_stream(['a.mp4'], 5, str(tmp_path), limit=400, size=(64, 48),
                                     **kw))

    old, zero = stream(), stream(natural_share=0.0)
    assert [t[1:5] for t in zero] == [t[1:5] for t in old]
    assert 'natural' not in {t[1] for t in old}
    mixed = stream(natural_share=0.3)
    natural = [t for t in mixed if t[1] == 'natural']
    assert 0.22 < len(natural) / 400 < 0.38
    assert all(t[3] is None and t[2]['procedural_texture'] == 'natural'
               and t[2]['size'] == (64, 48) for t in natural)
    # the other recipes keep their proportions among the rest
    rest = [t[1] for t in mixed if t[1] != 'natural']
    assert abs(rest.count('footage') / len(rest) - 30 / 46) < 0.08
    assert {t[1] for t in stream(natural_share=1.0)} == {'natural'}
