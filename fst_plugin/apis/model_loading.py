"""Build a model from a config and load its weights safely, refusing weights of other models."""
import os.path as osp
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmagic.registry import MODELS
from ..engine.checkpoint_loading import trusted_checkpoint_loading
from ..engine.weights_export import config_from_weights
from ..engine.checkpoint_check import check_checkpoint_matches


def load_model(config: Optional[Union[str, Config]], checkpoint: str, device='cpu',
               trust_checkpoint: bool = False) -> torch.nn.Module:
    """The config's model with the checkpoint's weights, in eval mode on ``device``
    (``model.cfg`` is the config, as in MMagic's ``init_model``).

    The checkpoint is read weights-only (safetensors or a weights-only ``.pth``): nothing
    in the file runs. An MMEngine training checkpoint needs ``trust_checkpoint=True``
    (full unpickling, which can run code from the file) or a conversion with
    ``tools/model_converters/convert_checkpoint.py``.

    Args:
        config (str | Config | None): Config file or object (``model`` is built); None
            takes the config stored in a weights file written by
            :func:`fst_plugin.engine.save_weights` (shipped weights, converted checkpoints).
        checkpoint (str): Checkpoint or weights file of that model.
        device (str): Default: ``'cpu'``.
        trust_checkpoint (bool): Allow full unpickling. Default: False.

    Raises:
        FileNotFoundError: config or checkpoint missing.
        UnsafeCheckpointError: the file needs full unpickling and it was not allowed.
        ValueError: the checkpoint belongs to another model (keys listed).
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
    if config is None:
        config = config_from_weights(checkpoint)
    elif isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config {config} does not exist')
        config = Config.fromfile(config)
    init_default_scope(config.get('default_scope', 'mmagic'))
    model = MODELS.build(config.model)
    with trusted_checkpoint_loading(trust_checkpoint):
        check_checkpoint_matches(model, checkpoint)
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True, logger='silent')
    model.cfg = config  # as MMagic's init_model does
    return model.to(device).eval()
