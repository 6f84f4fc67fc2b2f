"""Train a model from a config with MMEngine's Runner (MMagic's tools/train.py conventions).

    python tools/train.py configs/fst_gopro.py [--work-dir DIR] [--resume [CKPT]]
        [--amp [auto|fp32|fp16|bf16]] [--compile] [--time-budget MINUTES] [--allow-partial-load]
        [--cfg-options key=value ...] [--launcher none|pytorch|...]

Precision (--amp, default auto): mixed precision where the hardware runs it faster, float16
with dynamic loss scaling on a GPU (MMEngine's AmpOptimWrapper; --amp bf16 for bfloat16) and
bfloat16 autocast on a CPU with AMX or AVX512-BF16 (AutocastOptimWrapper); float32 on other
CPUs. --amp alone asks for mixed precision on any device; --amp fp32 forces float32.
--compile runs the train step through torch.compile (MMEngine's cfg.compile).
--time-budget MINUTES stops training after that much training wall time, with a checkpoint
(TrainTimeBudgetHook; the time spent survives --resume): models compared at equal time.
FSTNet runs channels-last by default (model.generator.channels_last).

A --resume or load_from checkpoint of another model or config is refused with the
missing/unexpected/mis-shaped keys listed (MMEngine itself only warns). A config that starts
part of its model fresh names it in ``partial_load_prefixes`` (e.g. EDVR's TSA fusion, loaded
from an EDVR trained without TSA): keys under those prefixes may differ in a load_from.

Checkpoints load weights-only (nothing in the file runs) except the --resume checkpoint of
this run's own work dir, or any file when --trust-checkpoint is given. At the end, the
model's weights are also written as ``<work_dir>/iter_<N>.safetensors`` (with the config),
the safe format for testing, inference and sharing.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from mmengine.runner.checkpoint import find_latest_checkpoint  # noqa: E402

import fst_plugin  # noqa: E402,F401  (registers modules, fixes checkpoint loading)
from fst_plugin.engine import check_checkpoint_matches  # noqa: E402
from fst_plugin.engine import (UnsafeCheckpointError, convert_checkpoint,  # noqa: E402
                               enable_amp, enable_compile, resolve_work_dir, save_weights,
                               set_time_budget,
                               setup_distributed, teardown_distributed,
                               trust_runner_checkpoints, trusted_checkpoint_loading)
from fst_plugin.utils.precision import cpu_has_fast_bf16, describe_cpu  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from CKPT, or without a value from the latest checkpoint in work_dir')
    parser.add_argument('--amp', nargs='?', default='auto', const='on',
                        choices=['auto', 'on', 'fp32', 'fp16', 'bf16'],
                        help="precision; 'auto' (default): mixed precision on GPUs (fp16 with "
                        'loss scaling) and on CPUs with AMX or AVX512-BF16 (bf16 autocast), '
                        'fp32 on other CPUs; --amp alone: mixed precision on any device; '
                        'fp32 forces full precision')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the train step (PyTorch 2; first steps are slow '
                        'while it compiles)')
    parser.add_argument('--time-budget', type=float, metavar='MINUTES',
                        help='stop after this many minutes of training wall time (the '
                        'time spent is kept across --resume), saving a checkpoint')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate with the total batch size')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, e.g. train_cfg.max_iters=1000')
    parser.add_argument('--allow-partial-load', action='store_true',
                        help='load a --resume/load_from checkpoint whose keys or shapes '
                        'differ from the model (MMEngine warns only); refused by default')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load a --resume/load_from checkpoint outside this run\'s work '
                        'dir with full unpickling (it can run code from the file)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.utils import keep_freed_memory
    keep_freed_memory()  # activations reuse the heap instead of page-faulting each pass
    if not osp.isfile(args.config):
        sys.exit(f'train.py: config {args.config} does not exist')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    resolve_work_dir(cfg, args.config, args.work_dir)
    setup_distributed(cfg, args.launcher)
    precision = args.amp
    if precision in ('auto', 'on'):
        # mixed precision where the hardware runs it faster: fp16 with loss scaling on a GPU,
        # bf16 autocast on a CPU with bf16 units; other CPUs emulate bf16, slower than fp32
        gpu = torch.cuda.is_available()
        precision = 'fp16' if gpu else \
            'bf16' if precision == 'on' or cpu_has_fast_bf16() else 'fp32'
    if precision != 'fp32':
        try:
            enable_amp(cfg, precision)
        except ValueError as err:
            sys.exit(f'train.py: {err}')
    print(f'train.py: precision {precision} (--amp {args.amp}); '
          f'{"GPU" if torch.cuda.is_available() else "CPU: " + describe_cpu()}', flush=True)
    if args.compile:
        enable_compile(cfg)
    if args.time_budget is not None:
        try:
            set_time_budget(cfg, args.time_budget)
        except ValueError as err:
            sys.exit(f'train.py: {err}')
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume

    runner = Runner.from_cfg(cfg)
    start_from = cfg.load_from
    if cfg.get('resume') and not start_from:
        start_from = find_latest_checkpoint(cfg.work_dir)
    # full unpickling only for this run's own checkpoints or where the user vouched for it
    trusted = args.trust_checkpoint or bool(
        cfg.get('resume') and start_from and _inside(start_from, cfg.work_dir))
    if start_from and not args.allow_partial_load:
        if not osp.isfile(start_from):
            sys.exit(f'train.py: checkpoint {start_from} does not exist')
        # a config may declare the part of the model that load_from leaves at its init
        # (e.g. EDVR's TSA fusion started from an EDVR trained without it); a resume never
        fresh = () if cfg.get('resume') else tuple(cfg.get('partial_load_prefixes') or ())
        try:
            with trusted_checkpoint_loading(trusted):
                left = check_checkpoint_matches(runner.model, start_from,
                                                ignore_prefixes=fresh)
        except UnsafeCheckpointError as err:
            sys.exit(f'train.py: {err}')
        except (ValueError, RuntimeError) as err:
            sys.exit(f'train.py: {err} (pass --allow-partial-load to load it anyway)')
        if left:
            runner.logger.info(
                f'load_from {start_from}: {len(left)} keys under {", ".join(fresh)} differ '
                'and keep their initialisation (partial_load_prefixes in the config); every '
                'other weight is loaded')
    trust_runner_checkpoints(runner, trusted)
    runner.logger.info(f'Working directory: {cfg.work_dir}')
    runner.train()
    runner.logger.info(f'Checkpoints saved under {cfg.work_dir}')
    if runner.rank == 0:
        export_final_weights(runner, cfg, args.config)


def export_final_weights(runner: Runner, cfg: Config, config_path: str) -> None:
    """``<work_dir>/iter_<N>.safetensors``: the weights of the final checkpoint (EMA
    weights when an EMAHook is configured, as MMEngine stores them) or, without one, of
    the model in memory, with the config as metadata."""
    weights = osp.join(cfg.work_dir, f'iter_{runner.iter}.safetensors')
    final = osp.join(cfg.work_dir, f'iter_{runner.iter}.pth')
    if osp.isfile(final):  # our own run's checkpoint: trusted
        convert_checkpoint(final, weights, trust=True)
    else:
        save_weights(runner.model, weights, config=cfg, iteration=runner.iter,
                     source=f'tools/train.py {config_path}')
    runner.logger.info(f'Model weights (safe to share and load): {weights}')


def _inside(path: str, folder: str) -> bool:
    path, folder = osp.realpath(path), osp.realpath(folder)
    return osp.commonpath([path, folder]) == folder


if __name__ == '__main__':
    try:
        main()
    finally:
        teardown_distributed()  # before interpreter shutdown, where gloo can abort
