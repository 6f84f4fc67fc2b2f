"""Test a checkpoint: PSNR/SSIM per frame, per sequence and overall (MMagic conventions).

    python tools/test.py CONFIG CHECKPOINT [--out scores.json] [--show-dir DIR]
        [--work-dir DIR] [--cfg-options key=value ...] [--launcher none|pytorch|slurm|mpi]

Every test frame is scored at full resolution on RGB with no border crop; the log prints a
per-sequence table and ``--out`` writes per-frame, per-sequence and overall numbers (JSON).
CHECKPOINT is loaded weights-only (safetensors or a weights-only .pth; nothing in it runs);
an MMEngine training checkpoint needs --trust-checkpoint or tools/convert_checkpoint.py.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import fst_plugin  # noqa: E402,F401  (registers modules, fixes checkpoint loading)
from fst_plugin.apis import (check_checkpoint_matches, resolve_work_dir,  # noqa: E402
                             setup_distributed, trust_runner_checkpoints)
from fst_plugin.engine import trusted_checkpoint_loading  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='JSON file for per-frame/per-sequence/overall scores')
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


def main(argv=None):
    args = parse_args(argv)
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

    if args.out:
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [
            cfg.test_evaluator]
        ours = [e for e in evaluators if e.get('type') == 'SequencePSNRSSIM']
        if not ours:
            sys.exit('test.py: --out needs a SequencePSNRSSIM entry in test_evaluator')
        for e in ours:
            e['out_file'] = osp.abspath(args.out)
    if args.show_dir:
        cfg.visualizer.setdefault('vis_backends', [dict(type='LocalVisBackend')])
        cfg.visualizer['save_dir'] = osp.abspath(args.show_dir)
        cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
            dict(type='TestVisualizationHook', interval=1)]

    runner = Runner.from_cfg(cfg)
    try:
        with trusted_checkpoint_loading(args.trust_checkpoint):
            check_checkpoint_matches(runner.model, args.checkpoint)
    except (ValueError, RuntimeError) as err:
        sys.exit(f'test.py: {err}')
    trust_runner_checkpoints(runner, args.trust_checkpoint)
    runner.test()


if __name__ == '__main__':
    main()
