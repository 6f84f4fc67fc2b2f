"""Build a model from a config and load a checkpoint, refusing checkpoints of other models."""
import os.path as osp
from typing import Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmagic.registry import MODELS
from .checkpoint_check import check_checkpoint_matches


def load_model(config: Union[str, Config], checkpoint: str, device='cpu') -> torch.nn.Module:
    """The config's model with the checkpoint's weights, in eval mode on ``device``.

    Args:
        config (str | Config): Config file or object (``model`` is built).
        checkpoint (str): Checkpoint file of that model.
        device (str): Default: ``'cpu'``.

    Raises:
        FileNotFoundError: config or checkpoint missing.
        ValueError: the checkpoint belongs to another model (keys listed).
    """
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config {config} does not exist')
        config = Config.fromfile(config)
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
    init_default_scope(config.get('default_scope', 'mmagic'))
    model = MODELS.build(config.model)
    check_checkpoint_matches(model, checkpoint)
    load_checkpoint(model, checkpoint, map_location='cpu', strict=True, logger='silent')
    return model.to(device).eval()
