"""Train FST on footage synthesized while it trains, on a CUDA machine without MMagic.

    # on the GPU machine (PyTorch + OpenCV; no mmcv/mmengine/mmagic needed)
    python tools/misc/train_footage_gpu.py --footage data/footage --out RAW_DIR --minutes 6 \
        --model-config configs/_base_/models/fst_local_path.py \
        --init fst_plugin/model_zoo/fst_footage.safetensors  # the shipped network: FST + local path
    # back where MMagic is installed: raw weights -> project weights with their config
    python tools/misc/train_footage_gpu.py --export RAW_DIR --config configs/fst/fst-local-path_1xb4-850i_footage.py

Why a plain loop: the GPU machine lent to this project has PyTorch with CUDA but no
mmcv build for it (mmcv 2.1 ships no wheel for that torch, and its CUDA ops take far longer
to compile than a lease lasts), and ``import mmagic.models`` needs ``mmcv.ops``. So MMEngine's
Runner cannot run there. This tool trains the same network, ``FSTNet`` (imported from this
package without MMagic, through stand-ins of the two names its modules import; with
``--model-config configs/_base_/models/single_frame_control.py`` the two-layer single-frame
control ``SingleFrameControlNet`` instead, to measure what FST adds over it), with the
footage recipe (``configs/fst/fst-local-path_1xb4-850i_footage.py``): L1 loss, Adam, linear warm-up then cosine
decay, an exponential moving average of the weights (what the checkpoints hold), random
crops, flips, transposition and time reversal, and a share of sharp-in/sharp-out pairs;
``--static-share`` adds still scenes (``static_average_clip``: a sharp frame with its own
noise in every stored frame, averaged GOPRO-style, the target the middle stored frame), which
teach the network to leave nearly sharp averages of still video alone; ``--natural-share``
adds procedural dead-leaves scenes with depth-of-field defocus kept in the sharp frames
(``ProceduralScene(texture='natural')``; README, Model zoo, "Natural procedural scenes").

Data: CPU worker processes keep synthesizing new sequences for the whole run with
``fst_plugin.datasets.synthesis.synthesize_footage_dataset`` (the code behind
``tools/dataset_converters/synthesize_footage.py``), each with its own seed, from the training clips of
``footage.json`` (clips marked held out are refused), in the proportions of the CPU stages'
data: default recipe footage, procedural scenes and mild camera blur. The frames live on the
GPU as uint8, and batches are cut there. The learning-rate schedule runs on wall time (the
run ends at ``--minutes``), so it fits a lease whatever the speed turns out to be.
On a CPU (``--device cpu``) the workers take cores from training: ``--min-sequences N
--max-sequences N`` synthesizes N sequences first and then trains on them alone.

Outputs in ``--out``: ``ema_<iteration>.safetensors`` (model-only weights, keys
``generator.*`` as the project's weights) at ``--snapshots`` evenly spaced times, and
``train_log.json`` (loss, learning rate, speed, data size over time).
"""
import argparse
import ast
import json
import math
import multiprocessing as mp
import os
import os.path as osp
import random
import shutil
import sys
import tempfile
import time
import types

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

MODEL_CONFIG = osp.join(ROOT, 'configs', '_base_', 'models', 'fst.py')


# the networks this loop trains, and the modules that define them
NETWORKS = {
    'FSTNet': 'fst_plugin.models.editors.fst.fst_net',
    # the two-layer single-frame control (configs/_base_/models/single_frame_control.py)
    'SingleFrameControlNet': 'fst_plugin.models.editors.single_frame.single_frame_control_net',
}


def generator_spec(path=MODEL_CONFIG):
    """``(type, kwargs)`` of ``model.generator`` in a model config, read with ``ast``: the
    config and its ``_base_`` files are parsed, not executed, and no MMEngine is needed (a
    leaf's generator dict is merged onto its bases' as MMEngine merges dicts)."""
    generator = dict(_read_generator(path))
    name = generator.pop('type', None)
    if name is None:
        raise ValueError(f'{path}: no `model = dict(generator=dict(type=...))` in it or its '
                         '_base_ files')
    if name not in NETWORKS:
        raise ValueError(f'{path}: model.generator is {name}; this loop trains '
                         f'{sorted(NETWORKS)}')
    return name, generator


def _read_generator(path):
    def value(node):
        if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' \
                and not node.args:
            return {kw.arg: value(kw.value) for kw in node.keywords}
        if isinstance(node, ast.List):
            return [value(e) for e in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(value(e) for e in node.elts)
        return ast.literal_eval(node)

    def merge(base, update):
        if update.pop('_delete_', False):
            return update
        merged = dict(base)
        for key, val in update.items():
            merged[key] = merge(base[key], val) if isinstance(val, dict) and \
                isinstance(base.get(key), dict) else val
        return merged

    with open(path) as f:
        tree = ast.parse(f.read(), path)
    generator, bases = {}, []
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign):
            continue
        names = [getattr(t, 'id', None) for t in stmt.targets]
        if names == ['_base_']:
            bases = value(stmt.value)
            bases = [bases] if isinstance(bases, str) else bases
        elif names == ['model']:
            generator = dict(value(stmt.value).get('generator', {}))
    inherited = {}
    for base in bases:
        inherited = merge(inherited, _read_generator(osp.join(osp.dirname(path), base)))
    return merge(inherited, generator)


# one synthesized sequence per task, drawn in the proportions of the CPU stages' data
# (data/footage_gopro: 30 footage + 6 procedural sequences; data/footage_gopro_mild: 10)
RECIPES = (
    ('footage', 30 / 46, dict(train_seqs_per_clip=1, procedural_seqs=0)),
    ('procedural', 6 / 46, dict(train_seqs_per_clip=0, procedural_seqs=1)),
    ('mild', 10 / 46, dict(train_seqs_per_clip=1, procedural_seqs=0, camera_share=1.0,
                           blur_px=(0.3, 2.0))),
)
# --natural-share: procedural scenes of dead leaves with depth-of-field defocus
NATURAL_RECIPE = ('natural', dict(train_seqs_per_clip=0, procedural_seqs=1,
                                  procedural_texture='natural'))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--footage', help='folder made by tools/dataset_converters/fetch_footage.py')
    parser.add_argument('--out', help='folder for raw weights and train_log.json')
    parser.add_argument('--init', help='weights to start from (.safetensors, generator.*)')
    parser.add_argument('--init-new-keys', action='store_true',
                        help='with --init: parameters missing from the init weights keep '
                        'their initialisation (a new zero-initialised path, e.g. '
                        'FSTAttentionWithLocalPath.local_path); keys the network lacks are '
                        'still refused')
    parser.add_argument('--model-config', default=MODEL_CONFIG,
                        help='model config whose model.generator is trained (default: FST at '
                        'the paper\'s width; configs/_base_/models/single_frame_control.py '
                        'trains the two-layer single-frame control)')
    parser.add_argument('--minutes', type=float, default=6.0, help='training wall time')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--crop', type=int, default=224)
    parser.add_argument('--size', default='320x240',
                        help='WxH of synthesized sequences (the CPU stages\' data: 320x240)')
    parser.add_argument('--frames', type=int, default=20, help='frames per sequence')
    parser.add_argument('--lr', type=float, default=1e-4, help='peak learning rate')
    parser.add_argument('--min-lr', type=float, default=1e-6)
    parser.add_argument('--warmup-iters', type=int, default=100)
    parser.add_argument('--ema-momentum', type=float, default=0.002)
    parser.add_argument('--identity-share', type=float, default=0.07,
                        help='share of sharp-in/sharp-out samples (stage 9: 72 of 992)')
    parser.add_argument('--static-share', type=float, default=0.0,
                        help='share of still-scene samples: a sharp frame with per-frame '
                        'noise, averaged over 2-4 stored frames per input frame, target the '
                        'middle stored frame (teaches leaving nearly sharp video alone)')
    parser.add_argument('--natural-share', type=float, default=0.0,
                        help='share of synthesized sequences that are procedural dead-leaves '
                        'scenes with depth-of-field defocus kept in the sharp frames '
                        '(ProceduralScene(texture="natural")); the other recipes keep their '
                        'proportions in the rest')
    parser.add_argument('--frame-strides', type=int, nargs='+', default=[1], metavar='S',
                        help='neighbours of a training window are S stored frames apart, S '
                        'drawn per sample from these (e.g. 1 1 2 3): teaches the local path '
                        'footage whose frames do not line up (README, Model zoo, "Natural '
                        'procedural scenes": the shipped weights lose on cup.mp4 with '
                        'tools/test.py --frame-interval 2 or 3)')
    parser.add_argument('--downscale-share', type=float, default=0.0,
                        help='share of samples cut larger and shrunk to --crop (inputs and '
                        'target alike): finer detail than the clips hold at their stored '
                        'size, for footage unlike them (the clean bikes frames it edits)')
    parser.add_argument('--min-scale', type=float, default=0.6,
                        help='with --downscale-share: the strongest shrink, in (0, 1]')
    parser.add_argument('--workers', type=int, default=max(1, (os.cpu_count() or 2) - 2),
                        help='synthesis processes')
    parser.add_argument('--min-sequences', type=int, default=24,
                        help='sequences synthesized before training starts')
    parser.add_argument('--max-sequences', type=int, default=0,
                        help='stop synthesizing after this many sequences (0: never); on a '
                        'CPU, with --min-sequences equal to it, the workers finish before '
                        'training starts instead of taking cores from it')
    parser.add_argument('--max-iters', type=int, default=0, help='stop early (0: none)')
    parser.add_argument('--snapshots', type=int, default=5)
    parser.add_argument('--dtype', choices=['bf16', 'fp32'], default='bf16',
                        help='autocast dtype of the forward pass (weights stay fp32)')
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--seed', type=int, default=1000)
    parser.add_argument('--export', metavar='RAW_DIR',
                        help='convert RAW_DIR/ema_*.safetensors to project weights (needs '
                        'MMagic) in --work-dir')
    parser.add_argument('--config', help='with --export: the config stored in the weights')
    parser.add_argument('--work-dir', help='with --export (default: the config\'s work_dir)')
    args = parser.parse_args(argv)
    if min(args.frame_strides) < 1:
        parser.error(f'--frame-strides must be >= 1, got {args.frame_strides}')
    if not 0 < args.min_scale <= 1:
        parser.error(f'--min-scale must be in (0, 1], got {args.min_scale}')
    for name in ('identity_share', 'static_share', 'natural_share', 'downscale_share'):
        if not 0 <= getattr(args, name) <= 1:
            parser.error(f'--{name.replace("_", "-")} is a share of the samples, in [0, 1]; '
                         f'got {getattr(args, name)}')
    return args


# ---------------------------------------------------------------- importing without MMagic
def import_network(name='FSTNet'):
    """The network class ``name`` (``NETWORKS``), with MMagic's registry and MMEngine's
    ``BaseModule`` stood in for when they are not installed (the networks need only
    PyTorch)."""
    import importlib
    try:
        import mmagic.registry  # noqa: F401
        import fst_plugin  # noqa: F401
    except ImportError:
        _install_stand_ins()
    network = getattr(importlib.import_module(NETWORKS[name]), name)
    import fst_plugin.models.fusions  # noqa: F401  (registers the fusion modules)
    return network


def _install_stand_ins():
    import torch.nn as nn

    class Registry:
        def __init__(self):
            self.modules = {}

        def register_module(self):
            def register(cls):
                self.modules[cls.__name__] = cls
                return cls
            return register

        def get(self, name):
            return self.modules.get(name)

        def build(self, cfg):
            cfg = dict(cfg)
            return self.modules[cfg.pop('type')](**cfg)

    class BaseModule(nn.Module):
        def __init__(self, init_cfg=None):
            super().__init__()
            self.init_cfg = init_cfg

    def module(name, **attrs):
        mod = sys.modules.get(name) or types.ModuleType(name)
        mod.__dict__.update(attrs)
        sys.modules[name] = mod
        return mod

    for name in ('mmengine', 'mmagic'):
        module(name, __path__=[])
    module('mmengine.model', BaseModule=BaseModule)
    module('mmagic.registry', MODELS=Registry())
    # the package's __init__ files import everything (MMagic included): skip them
    for pkg in ('fst_plugin', 'fst_plugin.models', 'fst_plugin.models.editors',
                'fst_plugin.models.editors.single_frame', 'fst_plugin.datasets',
                'fst_plugin.utils'):
        module(pkg, __path__=[osp.join(ROOT, *pkg.split('.'))])


# ---------------------------------------------------------------- data
def read_sequence(seq_dir):
    """``<seq_dir>/{blur,sharp}`` -> two uint8 arrays (n, h, w, 3), RGB."""
    import numpy as np
    from fst_plugin.utils.video_io import iter_frames
    blur, sharp = (np.stack(list(iter_frames(osp.join(seq_dir, kind))))
                   for kind in ('blur', 'sharp'))
    if blur.shape != sharp.shape:
        raise ValueError(f'{seq_dir}: blur and sharp frames differ in number or size')
    return blur, sharp


def single_threaded_worker():
    """Pool initializer: one OpenCV thread per synthesis process. OpenCV would start a
    thread per core in every worker (14 workers x 16 threads on the lent machine), leaving the
    training process, which launches the GPU work, to fight for a core. (Synthesis uses no
    PyTorch; calling into PyTorch's OpenMP in a forked child can deadlock once the parent has
    used it, as a test run showed.)"""
    import cv2
    cv2.setNumThreads(1)


def synthesize_one(task):
    """Worker: one sequence (recipe, clip, seed) -> (name, blur, sharp) uint8 arrays."""
    from fst_plugin.datasets.synthesis import synthesize_footage_dataset
    index, recipe_name, recipe, clip, seed, tmp_root = task
    out = osp.join(tmp_root, f'task{index:06d}')
    try:
        meta = synthesize_footage_dataset(out, [clip] if clip else [], [], recipe=recipe,
                                          seed=seed, splits=('train', ), log=lambda *a: None)
        seqs = meta['sequences']
        if len(seqs) != 1:
            raise RuntimeError(f'task {index}: expected one sequence, got {len(seqs)}')
        blur, sharp = read_sequence(osp.join(out, 'train', seqs[0]['name']))
        desc = dict(seqs[0], recipe=recipe_name, seed=seed)
        return desc, blur, sharp
    finally:
        shutil.rmtree(out, ignore_errors=True)


def task_stream(clips, seed, tmp_root, limit=0, natural_share=0.0, **overrides):
    """Synthesis tasks: (index, recipe name, recipe, clip, seed, tmp_root), endless, or
    ``limit`` of them.

    A share ``natural_share`` of the tasks are ``NATURAL_RECIPE`` scenes, the rest
    ``RECIPES`` in their proportions (with ``natural_share=0`` the stream is the one it was
    before the natural scenes existed). ``overrides`` (e.g. ``size``, ``frames_per_seq``)
    apply to every recipe.
    """
    rng = random.Random(seed)
    names, weights, recipes = zip(*RECIPES)
    if natural_share:
        names, recipes = names + (NATURAL_RECIPE[0], ), recipes + (NATURAL_RECIPE[1], )
        weights = tuple(w * (1 - natural_share) for w in weights) + (natural_share, )
    index = 0
    while not limit or index < limit:
        k = rng.choices(range(len(names)), weights=weights)[0]
        clip = None if names[k] in ('procedural', NATURAL_RECIPE[0]) else rng.choice(clips)
        yield (index, names[k], dict(recipes[k], **overrides), clip, seed * 100003 + index,
               tmp_root)
        index += 1


def training_clips(footage):
    """Training and held-out clips of ``<footage>/footage.json`` (the held-out ones, e.g.
    ``cup``, and the validation-only ones, e.g. ``tree``, are never read); a missing training
    clip is an error."""
    from fst_plugin.datasets.footage import read_footage_index, split_footage
    train, _ = split_footage(footage)
    held_out = [c['path'] for c in read_footage_index(footage).values()
                if c['path'] not in train]
    missing = [p for p in train if not osp.isfile(p)]
    if missing:
        raise FileNotFoundError(f'clips listed in {footage}/footage.json are missing: {missing}')
    if not train:
        raise ValueError(f'{footage}/footage.json lists no training clip')
    return train, held_out


class FramePool:
    """Synthesized sequences on the device, cut into training batches there.

    Args:
        device (torch.device): Where the uint8 frames live.
        num_frames (int): T of each input clip (edges replicate, as ``padding='replicate'``).
    """

    def __init__(self, device, num_frames=5):
        self.device = device
        self.num_frames = num_frames
        self.blur, self.sharp, self.meta = [], [], []

    def add(self, desc, blur, sharp):
        import torch
        to = dict(device=self.device, non_blocking=False)
        self.blur.append(torch.from_numpy(blur).permute(0, 3, 1, 2).contiguous().to(**to))
        self.sharp.append(torch.from_numpy(sharp).permute(0, 3, 1, 2).contiguous().to(**to))
        self.meta.append(desc)

    def __len__(self):
        return len(self.blur)

    def batch(self, batch_size, crop, identity_share, rng, static_share=0.0,
              static_sigma=(0.3, 2.0), static_windows=(2, 3, 4), frame_strides=(1, ),
              downscale_share=0.0, min_scale=0.6):
        """Returns (inputs (b, t, 3, crop, crop), targets (b, 3, crop, crop)) in [0, 1].

        A share ``static_share`` of the samples are still scenes averaged the GOPRO way
        (``static_average_clip`` of a sharp frame, noise drawn from ``static_sigma`` levels,
        window from ``static_windows``); of the rest, ``identity_share`` feed sharp frames.
        Each window's neighbours are ``s`` stored frames apart, ``s`` drawn per sample from
        ``frame_strides`` (more motion between neighbours, as in footage of a lower frame rate
        or a faster pan; with the default ``(1, )`` no draw is made, so the batches are the
        ones they were before strides existed).

        A share ``downscale_share`` of the samples are cut larger, ``crop / s`` pixels with
        ``s`` drawn from ``[min_scale, 1]`` (at most the sequence's shorter side), and shrunk
        to ``crop`` with an antialiased filter, inputs and target alike: finer, denser detail
        than the training clips hold at their stored size (thin structures such as the
        spokes of ``bikes``), and blur shrunk in proportion. With the default ``0`` no draw
        is made, so the batches are the ones they were before.
        """
        import torch
        from fst_plugin.utils.frame_window import window_indices
        inputs, targets = [], []
        for _ in range(batch_size):
            i = rng.randrange(len(self.blur))
            blur, sharp = self.blur[i], self.sharp[i]
            n, _, h, w = sharp.shape
            if h < crop or w < crop:
                raise ValueError(f'sequence {self.meta[i]["name"]} is {w}x{h}, smaller than '
                                 f'--crop {crop}')
            c = rng.randrange(n)
            stride = rng.choice(frame_strides) if len(frame_strides) > 1 else frame_strides[0]
            idx = window_indices(c, self.num_frames, n, interval=stride)
            cut = crop
            if downscale_share and rng.random() < downscale_share:
                cut = min(round(crop / rng.uniform(min_scale, 1.0)), h, w)
            y, x = rng.randrange(h - cut + 1), rng.randrange(w - cut + 1)
            if static_share and rng.random() < static_share:
                gen = torch.Generator(device=self.device).manual_seed(rng.randrange(2**31))
                clip, gt, _ = static_average_clip(
                    shrink(sharp[c, :, y:y + cut, x:x + cut], crop), self.num_frames,
                    rng.choice(static_windows), rng.uniform(*static_sigma), rng.random() < 0.5,
                    gen)
            else:
                source = sharp if rng.random() < identity_share else blur
                clip = shrink(source[idx, :, y:y + cut, x:x + cut], crop)
                gt = shrink(sharp[c, :, y:y + cut, x:x + cut], crop)
            if rng.random() < 0.5:
                clip, gt = clip.flip(-1), gt.flip(-1)
            if rng.random() < 0.5:
                clip, gt = clip.flip(-2), gt.flip(-2)
            if rng.random() < 0.5:
                clip, gt = clip.transpose(-1, -2), gt.transpose(-1, -2)
            if rng.random() < 0.5:
                clip = clip.flip(0)
            inputs.append(clip)
            targets.append(gt)
        return (torch.stack(inputs).float().div_(255),
                torch.stack(targets).float().div_(255))


def shrink(frames, size):
    """``frames`` (..., 3, n, n) uint8 resized to (..., 3, size, size) with an antialiased
    bilinear filter and rounded back to uint8; returned unchanged when ``n == size``."""
    import torch.nn.functional as F
    if frames.shape[-1] == size and frames.shape[-2] == size:
        return frames
    lead = frames.shape[:-3]
    flat = frames.reshape(-1, *frames.shape[-3:]).float()
    out = F.interpolate(flat, size=(size, size), mode='bilinear', antialias=True,
                        align_corners=False)
    return out.round_().clamp_(0, 255).to(frames.dtype).reshape(*lead, 3, size, size)


def static_average_clip(base, num_frames, window, sigma, smooth, generator):
    """A still scene filmed ``num_frames * window`` times and averaged the GOPRO way.

    Each stored frame is ``base`` plus its own noise (the frame-to-frame noise and
    compression differences of real video of a still scene); blurry frame ``j`` is the mean
    of stored frames ``j * window ... j * window + window - 1`` (non-overlapping windows, as
    ``average_window``), and the target is the middle stored frame of the centre window.
    Nothing moves, so the best output is the input itself up to the noise: these samples teach
    the network to leave nearly sharp averages of still video alone (`cup.mp4`'s nearly sharp
    sequence lost 2 dB around already-sharp edges; README, "Where the nearly sharp sequence
    loses").

    Args:
        base (Tensor): (3, h, w) uint8 sharp frame.
        num_frames (int): T, blurry frames of the clip.
        window (int): Stored frames averaged per blurry frame.
        sigma (float): Noise standard deviation in 8-bit levels.
        smooth (bool): Low-pass the noise with a 3x3 box (rescaled to ``sigma``), for the
            spatially correlated look of compression noise.
        generator (torch.Generator): Noise source, on ``base``'s device.

    Returns:
        tuple: ``clip`` (num_frames, 3, h, w) uint8, ``target`` (3, h, w) uint8 and
        ``stored`` (num_frames * window, 3, h, w) uint8, the noisy stored frames.
    """
    import torch
    import torch.nn.functional as F
    n = num_frames * window
    noise = torch.randn((n, *base.shape), generator=generator, device=base.device)
    if smooth:
        noise = F.avg_pool2d(noise, 3, stride=1, padding=1, count_include_pad=False)
        noise = noise / noise.std().clamp_min(1e-6)
    stored = (base.float() + sigma * noise).round_().clamp_(0, 255)
    clip = stored.view(num_frames, window, *base.shape).mean(dim=1).round_()
    target = stored[(num_frames // 2) * window + window // 2]
    return clip.to(torch.uint8), target.to(torch.uint8), stored.to(torch.uint8)


# ---------------------------------------------------------------- training
def learning_rate(args, it, fraction):
    """Linear warm-up from 1 % over ``--warmup-iters``, cosine decay over wall time."""
    warm = min(1.0, (it + 1) / args.warmup_iters) if args.warmup_iters else 1.0
    cosine = args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * fraction))
    return (0.01 + 0.99 * warm) * cosine


def save_raw(state, path, **meta):
    from safetensors.torch import save_file
    tmp = path + '.tmp'
    save_file({f'generator.{k}': v.detach().float().cpu().contiguous()
               for k, v in state.items()}, tmp, metadata={k: str(v) for k, v in meta.items()})
    os.replace(tmp, path)


def train(args):
    try:
        w, h = (int(v) for v in args.size.lower().split('x'))
    except ValueError:
        raise SystemExit(f'--size must be WxH, got {args.size!r}') from None
    if args.max_sequences and args.max_sequences < args.min_sequences:
        raise SystemExit(f'--max-sequences {args.max_sequences} is below --min-sequences '
                         f'{args.min_sequences}: training would never start')
    # first: without MMagic this installs the stand-ins the package's modules import, and
    # the synthesis workers forked below inherit them
    name, kwargs = generator_spec(args.model_config)
    network = import_network(name)
    clips, held_out = training_clips(args.footage)
    os.makedirs(args.out, exist_ok=True)
    tmp_root = tempfile.mkdtemp(prefix='fst_synth_')
    # workers fork before CUDA is touched
    pool = mp.get_context('fork').Pool(args.workers, initializer=single_threaded_worker)
    try:
        results = pool.imap_unordered(synthesize_one, task_stream(
            clips, args.seed, tmp_root, limit=args.max_sequences,
            natural_share=args.natural_share, size=(w, h), frames_per_seq=args.frames))
        print(f'training clips: {[osp.basename(c) for c in clips]}; held out (never read): '
              f'{[osp.basename(c) for c in held_out]}; {args.workers} synthesis workers',
              flush=True)
        return train_loop(args, lambda: network(**kwargs), results)
    finally:
        pool.terminate()
        shutil.rmtree(tmp_root, ignore_errors=True)


def load_init_weights(model, path, new_keys_ok=False):
    """Load ``generator.*`` of the safetensors file ``path`` into ``model``; returns the
    names left as initialised (only with ``new_keys_ok``; a ValueError names them
    otherwise, and always names keys the model lacks)."""
    from safetensors.torch import load_file
    state = load_file(path)
    state = {k[len('generator.'):]: v for k, v in state.items() if k.startswith('generator.')}
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
    except RuntimeError as err:  # shapes that differ are refused even when not strict
        raise ValueError(f'{path} does not fit {type(model).__name__}: {err}') from None
    if unexpected or (missing and not new_keys_ok):
        raise ValueError(f'{path} does not fit {type(model).__name__}: missing '
                         f'{sorted(missing)}, unexpected {sorted(unexpected)}'
                         + ('' if unexpected else ' (--init-new-keys keeps the missing '
                            'ones as initialised)'))
    return sorted(missing)


def train_loop(args, build_network, results):
    """Train ``build_network()`` on what ``results`` (the synthesis workers' output) yields;
    returns the log."""
    import torch
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    model = build_network().to(device)
    if args.init:
        try:
            missing = load_init_weights(model, args.init, args.init_new_keys)
        except ValueError as err:
            sys.exit(f'train_footage_gpu.py: --init: {err}')
        print(f'started from {args.init}'
              + (f' ({len(missing)} new tensors, as initialised: {missing})' if missing
                 else ''), flush=True)
    ema = {k: v.detach().clone().float() for k, v in model.state_dict().items()}
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999))
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.dtype == 'bf16')

    data = FramePool(device)
    t_synth = time.time()
    while len(data) < args.min_sequences:
        data.add(*results.next())
    print(f'{len(data)} sequences synthesized in {time.time() - t_synth:.1f} s; training for '
          f'{args.minutes} min', flush=True)

    rng = random.Random(args.seed)
    budget = args.minutes * 60
    snapshot_at = [budget * (k + 1) / args.snapshots for k in range(args.snapshots)]
    log, window, it = [], [], 0
    t0 = time.time()
    model.train()
    while True:
        elapsed = time.time() - t0
        fraction = min(1.0, elapsed / budget)
        lr = learning_rate(args, it, fraction)
        for group in optimizer.param_groups:
            group['lr'] = lr
        inputs, targets = data.batch(args.batch_size, args.crop, args.identity_share, rng,
                                     static_share=args.static_share,
                                     frame_strides=tuple(args.frame_strides),
                                     downscale_share=args.downscale_share,
                                     min_scale=args.min_scale)
        with autocast:
            output = model(inputs)
        loss = torch.nn.functional.l1_loss(output.float(), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for k, v in model.state_dict().items():
                if v.dtype.is_floating_point:
                    ema[k].lerp_(v.float(), args.ema_momentum)
                else:
                    ema[k].copy_(v)
        it += 1
        window.append(loss.detach())
        if it % 50 == 0 or it == 1:
            mean = torch.stack(window).mean().item()
            window = []
            while True:  # take in whatever the workers have finished, without waiting
                try:
                    data.add(*results.next(timeout=0))
                except (mp.TimeoutError, StopIteration):
                    break
            rec = dict(iteration=it, seconds=round(time.time() - t0, 1), loss=mean, lr=lr,
                       sequences=len(data))
            log.append(rec)
            print(json.dumps(rec), flush=True)
        stop = (args.max_iters and it >= args.max_iters) or time.time() - t0 >= budget
        if snapshot_at and (time.time() - t0 >= snapshot_at[0] or stop):
            while snapshot_at and (time.time() - t0 >= snapshot_at[0] or stop):
                snapshot_at.pop(0)
            path = osp.join(args.out, f'ema_{it}.safetensors')
            save_raw(ema, path, iteration=it, seconds=round(time.time() - t0, 1),
                     format='fst_plugin.raw_gpu/1', init=args.init or '',
                     sequences=len(data))
            print(f'saved {path}', flush=True)
        if stop:
            break
    summary = dict(args=vars(args), iterations=it, seconds=round(time.time() - t0, 1),
                   sequences=len(data), device=torch.cuda.get_device_name(device)
                   if device.type == 'cuda' else device.type,
                   recipes={name: sum(m['recipe'] == name for m in data.meta)
                            for name in [r[0] for r in RECIPES] + [NATURAL_RECIPE[0]]},
                   log=log)
    with open(osp.join(args.out, 'train_log.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    print(f'done: {it} iterations in {summary["seconds"]} s, {len(data)} sequences', flush=True)
    return summary


# ---------------------------------------------------------------- export
def export(args):
    """RAW_DIR/ema_<N>.safetensors -> <work_dir>/iter_<N>.safetensors (project format)."""
    import glob
    import re
    from mmengine.config import Config
    from safetensors import safe_open
    from safetensors.torch import load_file

    import fst_plugin  # noqa: F401
    from fst_plugin.engine.weights_export import save_weights
    if not args.config:
        raise SystemExit('--export needs --config (the config whose model these weights fit)')
    cfg = Config.fromfile(args.config)
    work_dir = args.work_dir or cfg.work_dir
    raw = sorted(glob.glob(osp.join(args.export, 'ema_*.safetensors')))
    if not raw:
        raise FileNotFoundError(f'no ema_<N>.safetensors in {args.export}')
    written = []
    for path in raw:
        it = int(re.fullmatch(r'ema_(\d+)\.safetensors', osp.basename(path)).group(1))
        with safe_open(path, 'pt') as f:
            meta = f.metadata() or {}
        dst = osp.join(work_dir, f'iter_{it}.safetensors')
        save_weights(load_file(path), dst, config=cfg, iteration=it,
                     source=f'tools/misc/train_footage_gpu.py ({osp.basename(path)})',
                     train_seconds=meta.get('seconds'), sequences=meta.get('sequences'),
                     soup_of=meta.get('soup_of'))  # tools/model_converters/average_weights.py
        written.append(dst)
        print(f'{path} -> {dst}')
    cfg.dump(osp.join(work_dir, osp.basename(args.config)))
    if osp.isfile(osp.join(args.export, 'train_log.json')):
        shutil.copy(osp.join(args.export, 'train_log.json'), work_dir)
    return written


def main(argv=None):
    args = parse_args(argv)
    if args.export:
        return export(args)
    if not (args.footage and args.out):
        raise SystemExit('training needs --footage and --out')
    return train(args)


if __name__ == '__main__':
    main()
