"""Config adjustments shared by tools/train.py and tools/test.py."""
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


def select_dist_backend(cfg: Config, launcher: str) -> None:
    """NCCL needs GPUs: use gloo for distributed runs on machines without CUDA."""
    if launcher == 'none':
        return
    dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    if not torch.cuda.is_available() and dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
        print_log('no CUDA device: distributed backend switched from nccl to gloo',
                  logger='current', level=logging.WARNING)


def enable_amp(cfg: Config) -> None:
    """Turn the config's ``OptimWrapper`` into MMEngine's ``AmpOptimWrapper``."""
    wrapper = cfg.optim_wrapper
    if wrapper.get('type') == 'AmpOptimWrapper':
        print_log('AMP training is already enabled in your config.', logger='current',
                  level=logging.WARNING)
        return
    if wrapper.get('type', 'OptimWrapper') != 'OptimWrapper':
        raise ValueError(f'--amp needs optim_wrapper type OptimWrapper, got {wrapper.get("type")}')
    wrapper.type = 'AmpOptimWrapper'
    wrapper.loss_scale = 'dynamic'
