"""Test a checkpoint: PSNR/SSIM per frame, per sequence and overall (MMagic conventions).

    python tools/test.py CONFIG CHECKPOINT [--out scores.json] [--show-dir DIR]
        [--protocol full cdvd_tsp] [--recurrent-mode sequence|window] [--work-dir DIR]
        [--cfg-options key=value ...]
        [--launcher none|pytorch|slurm|mpi]

By default every test frame is scored at full resolution on RGB with no border crop, float
output (protocol ``full``); ``--protocol cdvd_tsp`` scores as the published tables do (8-bit
output, 4 px border, first/last 2 frames of each sequence skipped), and several names report
side by side (the first gives the plain metric names). The log prints a per-sequence table
per protocol and ``--out`` writes per-frame, per-sequence and overall numbers (JSON) with the
protocols' settings and the frames each one scored. Recurrent models (STFAN) run one
recurrence over each whole test sequence by default (``--recurrent-mode window`` restarts it
on the T frames ending at each target instead).
CHECKPOINT is loaded weights-only (safetensors or a weights-only .pth; nothing in it runs);
an MMEngine training checkpoint needs --trust-checkpoint or tools/model_converters/convert_checkpoint.py.
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import Config, DictAction  # noqa: E402
import torch  # noqa: E402
from mmengine.dist import is_main_process  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import fst_plugin  # noqa: E402,F401  (registers modules, fixes checkpoint loading)
from fst_plugin.engine import check_checkpoint_matches  # noqa: E402
from fst_plugin.engine import (resolve_work_dir, setup_distributed,  # noqa: E402
                               teardown_distributed, trust_runner_checkpoints,
                               trusted_checkpoint_loading)
from fst_plugin.evaluation import PROTOCOLS, resolve_protocols  # noqa: E402
from fst_plugin.utils.precision import describe_cpu, resolve_precision  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='JSON file for per-frame/per-sequence/overall scores')
    parser.add_argument('--dtype', default='auto', choices=['auto', 'fp32', 'bf16', 'fp16'],
                        help="inference precision; 'auto' (default): bf16 autocast on CPUs "
                        'with AMX or AVX512-BF16 and on CUDA, fp32 on other CPUs')
    parser.add_argument('--protocol', nargs='+', metavar='NAME',
                        help=f'evaluation protocol(s), from {sorted(PROTOCOLS)}; default: the '
                        "config's (full)")
    parser.add_argument('--recurrent-mode', choices=['sequence', 'window'],
                        help='recurrent models (STFAN): one recurrence over each whole test '
                        'sequence (sharded by sequence), or a fresh recurrence over the '
                        'T frames ending at each target frame; default: the config\'s')
    parser.add_argument('--self-ensemble', choices=['spatial', 'spatial-temporal'],
                        help='test-time ensemble (MMagic\'s SpatialTemporalEnsemble): the 8 '
                        'flips/transposes of each clip (~8x slower), and with '
                        '"spatial-temporal" also the time-reversed clip (~16x)')
    parser.add_argument('--temporal-radius', type=int, metavar='R',
                        help='ablation: replace every input frame farther than R from the '
                        'centre by the nearest kept one (0: the network sees only the centre '
                        'frame), to measure what a video model takes from its neighbours')
    parser.add_argument('--frame-interval', type=int, metavar='K',
                        help='neighbours in each test clip are K frames apart (the target in '
                        'the middle): the test footage as if filmed at a K times lower frame '
                        'rate, to measure how a model copes with neighbours that line up less')
    parser.add_argument('--show-dir', help='save output frames (and ground truth) here')
    parser.add_argument('--work-dir', help='the directory to save logs')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, e.g. test_dataloader.num_workers=0')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load a full training checkpoint (unpickling can run code '
                        'from the file; only for files you trust)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def insert_temporal_radius(dataset_cfg, radius):
    """Put ``LimitTemporalRadius(radius)`` just before the test pipeline's ``PackInputs``."""
    if radius < 0:
        raise ValueError(f'must be >= 0, got {radius}')
    pipeline = list(dataset_cfg.pipeline)
    packs = [i for i, step in enumerate(pipeline) if step.get('type') == 'PackInputs']
    if not packs:
        raise ValueError('the test pipeline has no PackInputs step to insert it before')
    pipeline.insert(packs[-1], dict(type='LimitTemporalRadius', keys=['img'], radius=radius))
    dataset_cfg.pipeline = pipeline


def set_frame_interval(dataset_cfg, interval):
    """Space the neighbours of every test clip ``interval`` frames apart
    (``VideoDeblurDataset(frame_interval=...)``)."""
    if interval < 1:
        raise ValueError(f'must be >= 1, got {interval}')
    if dataset_cfg.get('window') == 'sequence':
        raise ValueError('it spaces the frames of sliding windows, and whole-sequence '
                         'testing reads every frame: add --recurrent-mode window')
    dataset_cfg.frame_interval = interval


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.utils import keep_freed_memory
    keep_freed_memory()  # activations reuse the heap instead of page-faulting each pass
    for path, what in ((args.config, 'config'), (args.checkpoint, 'checkpoint')):
        if not osp.isfile(path):
            sys.exit(f'test.py: {what} {path} does not exist')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    resolve_work_dir(cfg, args.config, args.work_dir)
    setup_distributed(cfg, args.launcher)
    cfg.load_from = args.checkpoint

    if args.out or args.protocol:
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [
            cfg.test_evaluator]
        ours = [e for e in evaluators if e.get('type') == 'SequencePSNRSSIM']
        if not ours:
            sys.exit('test.py: --out and --protocol need a SequencePSNRSSIM entry in '
                     'test_evaluator')
        if args.protocol:
            try:
                resolve_protocols(args.protocol)
            except ValueError as err:
                sys.exit(f'test.py: --protocol: {err}')
        for e in ours:
            if args.out:
                e['out_file'] = osp.abspath(args.out)
            if args.protocol:
                e['protocol'] = list(args.protocol)
    if args.self_ensemble:
        cfg.model.ensemble = dict(type='SpatialTemporalEnsemble',
                                  is_temporal_ensemble=args.self_ensemble == 'spatial-temporal')
    if args.recurrent_mode:
        if cfg.model.get('type') != 'RecurrentVideoDeblurrer':
            sys.exit(f'test.py: --recurrent-mode is for recurrent models; {args.config} '
                     f'builds {cfg.model.get("type")}')
        cfg.test_dataloader.dataset.window = dict(sequence='sequence',
                                                  window='trailing')[args.recurrent_mode]
        cfg.test_dataloader.dataset.gt_frames = 'target'
    if args.temporal_radius is not None:
        try:
            insert_temporal_radius(cfg.test_dataloader.dataset, args.temporal_radius)
        except ValueError as err:
            sys.exit(f'test.py: --temporal-radius: {err}')
    if args.frame_interval is not None:
        try:
            set_frame_interval(cfg.test_dataloader.dataset, args.frame_interval)
        except ValueError as err:
            sys.exit(f'test.py: --frame-interval: {err}')
    if args.show_dir and cfg.test_dataloader.dataset.get('window') == 'sequence':
        sys.exit('test.py: --show-dir saves one image per test sample, and whole-sequence '
                 'testing makes a sample of each sequence: add --recurrent-mode window, or '
                 'write the restored video with tools/deblur_video.py')
    if args.show_dir:
        cfg.visualizer.setdefault('vis_backends', [dict(type='LocalVisBackend')])
        cfg.visualizer['save_dir'] = osp.abspath(args.show_dir)
        cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
            dict(type='SaveRestoredImagesHook', interval=1)]

    runner = Runner.from_cfg(cfg)
    try:
        with trusted_checkpoint_loading(args.trust_checkpoint):
            check_checkpoint_matches(runner.model, args.checkpoint)
    except (ValueError, RuntimeError) as err:
        sys.exit(f'test.py: {err}')
    trust_runner_checkpoints(runner, args.trust_checkpoint)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    precision = resolve_precision(args.dtype, device)
    print(f'test.py: inference in {precision} ({args.dtype}) on {device}'
          f'{", CPU: " + describe_cpu() if device == "cpu" else ""}', flush=True)
    if precision == 'fp32':
        runner.test()
    else:
        dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[precision]
        with torch.autocast(device, dtype=dtype):
            runner.test()
    if args.out and osp.isfile(args.out) and is_main_process():  # the precision, recorded
        with open(args.out) as f:
            report = json.load(f)
        report.update(precision=precision, device=device,
                      cpu=describe_cpu() if device == 'cpu' else None)
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=1)


if __name__ == '__main__':
    try:
        main()
    finally:
        teardown_distributed()  # before interpreter shutdown, where gloo can abort
