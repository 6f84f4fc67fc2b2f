"""Config adjustments shared by tools/train.py and tools/test.py."""
import gc
import logging
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.logging import print_log


def resolve_work_dir(cfg: Config, config_path: str, work_dir: str = None) -> None:
    """CLI ``--work-dir`` > ``work_dir`` in the config > ``./work_dirs/<config name>``."""
    if work_dir:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


def setup_distributed(cfg: Config, launcher: str) -> None:
    """Make ``--launcher pytorch`` work on machines without GPUs (CPU processes, gloo).

    With CUDA nothing changes (NCCL, one GPU per process). Without it, MMEngine 0.10.7
    would call ``torch.cuda.set_device`` and wrap the model with ``device_ids=[rank]``,
    both of which fail on CPU; so the process group is initialised here with gloo (the
    Runner then skips its own initialisation) and DDP gets ``device_ids=None``.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return
    dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
        print_log('no CUDA device: distributed backend switched from nccl to gloo',
                  logger='current', level=logging.WARNING)
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    if launcher == 'pytorch' and not torch.distributed.is_initialized():
        torch.distributed.init_process_group(backend=dist_cfg['backend'])


def teardown_distributed() -> None:
    """End distributed work while Python is fully alive: destroy the default process
    group and join gloo's threads.

    ``destroy_process_group`` alone stops nothing: the Runner's DDP wrapper still holds
    the group, and the finished Runner sits in reference cycles that only the garbage
    collector frees, so gloo's threads (``pt_gloo_runloop``, ``gloo_tcp_loop``) would
    otherwise live on into interpreter finalisation. A C++ thread that needs the GIL
    there is made to exit by Python 3.11, which aborts the process (SIGABRT,
    "terminate called without an active exception") after all its work is done, and
    torchrun then reports the run as failed. Collecting garbage here frees the group,
    whose destructor joins those threads. tools/train.py and tools/test.py call this
    when the run ends, successfully or not, after their Runner went out of scope.
    """
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
        gc.collect()


def enable_amp(cfg: Config, dtype: str = 'auto') -> None:
    """Train with mixed precision: the config's ``OptimWrapper`` becomes MMEngine's
    ``AmpOptimWrapper`` on a GPU (``'auto'``/``'fp16'``: float16 with dynamic loss scaling;
    ``'bf16'``: bfloat16) and :class:`AutocastOptimWrapper` on a CPU, where
    ``AmpOptimWrapper`` cannot run and bfloat16 autocast is the precision that CPUs
    accelerate (``'auto'``/``'bf16'``; ``'fp16'`` raises).

    Args:
        cfg (Config): Config to change in place.
        dtype (str): ``'auto'``, ``'fp16'`` or ``'bf16'``. Default: ``'auto'``.
    """
    if dtype not in ('auto', 'fp16', 'bf16'):
        raise ValueError(f"--amp takes 'fp16' or 'bf16', got {dtype!r}")
    wrapper = cfg.optim_wrapper
    if wrapper.get('type') in ('AmpOptimWrapper', 'AutocastOptimWrapper'):
        print_log('AMP training is already enabled in your config.', logger='current',
                  level=logging.WARNING)
        return
    if wrapper.get('type', 'OptimWrapper') != 'OptimWrapper':
        raise ValueError(f'--amp needs optim_wrapper type OptimWrapper, got {wrapper.get("type")}')
    if torch.cuda.is_available():
        wrapper.type = 'AmpOptimWrapper'
        if dtype == 'bf16':
            wrapper.dtype = 'bfloat16'
        else:
            wrapper.loss_scale = 'dynamic'
        return
    if dtype == 'fp16':
        raise ValueError('--amp fp16 needs a GPU (float16 training needs loss scaling, which '
                         'MMEngine provides on GPUs only); on a CPU use --amp bf16')
    wrapper.type = 'AutocastOptimWrapper'
    wrapper.dtype = 'bfloat16'
    wrapper.device_type = 'cpu'


def set_time_budget(cfg: Config, minutes: float) -> None:
    """Stop training after ``minutes`` of training wall time (``TrainTimeBudgetHook``,
    replacing one the config has): models compared at an equal budget get the same time."""
    if not minutes > 0:
        raise ValueError(f'--time-budget must be > 0 minutes, got {minutes}')
    hooks = [h for h in cfg.get('custom_hooks') or [] if h.get('type') != 'TrainTimeBudgetHook']
    cfg.custom_hooks = hooks + [dict(type='TrainTimeBudgetHook', minutes=minutes)]


def enable_compile(cfg: Config) -> None:
    """``torch.compile`` the model's train step (MMEngine's ``cfg.compile``)."""
    cfg.compile = True


def trust_runner_checkpoints(runner, trusted: bool) -> None:
    """Make the Runner's own checkpoint loading (``load_or_resume``, called inside
    ``train()``/``test()``) run trusted (full unpickling) or not; nothing else is affected.

    Args:
        runner (Runner): The runner, before ``train()``/``test()``.
        trusted (bool): Whether the user vouched for the checkpoint (``--resume`` of their
            own run, ``--trust-checkpoint``).
    """
    from .checkpoint_loading import trusted_checkpoint_loading
    load_or_resume = runner.load_or_resume

    def load():
        with trusted_checkpoint_loading(trusted):
            load_or_resume()

    runner.load_or_resume = load
