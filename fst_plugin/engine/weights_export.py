"""Model-only weights as safetensors: what we ship and what inference loads safely.

A training checkpoint holds the optimizer, the message hub and the config; inference needs
the weights alone. :func:`save_weights` writes them as ``.safetensors`` (tensors + string
metadata: nothing in the file can run code) or as a weights-only ``.pth``, with the config
text and provenance in the metadata, so a weights file is enough to rebuild the model
(:func:`config_from_weights`).
"""
import datetime
import os
import os.path as osp
from typing import Dict, Optional

import torch
from mmengine.config import Config
from mmengine.model import is_model_wrapper

from .checkpoint_loading import SAFETENSORS_SUFFIX, load_local_checkpoint, \
    trusted_checkpoint_loading

FORMAT = 'fst_plugin.weights/1'


def _state_of(model_or_state) -> Dict[str, torch.Tensor]:
    if isinstance(model_or_state, torch.nn.Module):
        model = model_or_state.module if is_model_wrapper(model_or_state) else model_or_state
        state = model.state_dict()
    else:
        state = model_or_state
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    bad = sorted(k for k, v in state.items() if not isinstance(v, torch.Tensor))
    if bad:
        raise ValueError(f'state_dict entries that are not tensors: {bad[:5]}')
    # own, contiguous storage per tensor (safetensors refuses shared or strided memory)
    return {k: v.detach().cpu().contiguous().clone() for k, v in state.items()}


def save_weights(model_or_state, filename: str, config: Optional[Config] = None,
                 **metadata) -> str:
    """Write model-only weights with their config and provenance, atomically.

    Args:
        model_or_state (nn.Module | dict): A model (wrappers are unwrapped) or its
            ``state_dict``.
        filename (str): ``*.safetensors`` (recommended) or ``*.pth`` (weights-only:
            tensors and strings, loadable with ``torch.load(weights_only=True)``).
        config (Config, optional): The config that builds the model; stored as text.
        **metadata: Further string-convertible provenance (iteration, source, ...).

    Returns:
        str: ``filename``.
    """
    state = _state_of(model_or_state)
    meta = dict(format=FORMAT, created=datetime.datetime.now(datetime.timezone.utc)
                .isoformat(timespec='seconds'))
    if config is not None:
        meta['config'] = config.pretty_text
        meta['experiment_name'] = str(config.get('experiment_name', ''))
    meta.update({k: str(v) for k, v in metadata.items() if v is not None})
    os.makedirs(osp.dirname(osp.abspath(filename)) or '.', exist_ok=True)
    tmp = f'{filename}.tmp{os.getpid()}'
    try:
        if filename.endswith(SAFETENSORS_SUFFIX):
            from safetensors.torch import save_file
            save_file(state, tmp, metadata=meta)
        elif filename.endswith('.pth'):
            torch.save(dict(state_dict=state, meta=meta), tmp)
        else:
            raise ValueError(f'weights file must end in .safetensors or .pth, got {filename}')
        os.replace(tmp, filename)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    return filename


def convert_checkpoint(src: str, dst: str, trust: bool = False) -> dict:
    """Write the model weights of checkpoint ``src`` to ``dst`` (see :func:`save_weights`).

    The config MMEngine stores in a training checkpoint (``meta['cfg']``) and its
    iteration are kept in the metadata.

    Args:
        src (str): A checkpoint (MMEngine training checkpoint, weights-only ``.pth`` or
            safetensors).
        dst (str): Output ``.safetensors`` or ``.pth``.
        trust (bool): Load ``src`` with full unpickling (it may run code from the file);
            needed for MMEngine training checkpoints. Default: False.

    Returns:
        dict: The metadata written.
    """
    with trusted_checkpoint_loading(trust):
        ckpt = load_local_checkpoint(src, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise ValueError(f'checkpoint {src} holds no state_dict')
    meta = ckpt.get('meta') or {}
    config = None
    cfg_text = meta.get('cfg') or meta.get('config')
    if isinstance(cfg_text, str) and cfg_text.strip():
        config = Config.fromstring(cfg_text, file_format='.py')
    extra = dict(iteration=meta.get('iter') or meta.get('iteration'),
                 source=osp.basename(src), mmengine_version=meta.get('mmengine_version'))
    save_weights(state, dst, config=config, **extra)
    return read_metadata(dst)


def read_metadata(filename: str) -> Dict[str, str]:
    """The string metadata of a weights file written by :func:`save_weights`."""
    return dict(load_local_checkpoint(filename, map_location='cpu').get('meta') or {})


def config_from_weights(filename: str) -> Config:
    """The config stored in a weights file (raises ValueError when it holds none)."""
    text = read_metadata(filename).get('config')
    if not text:
        raise ValueError(f'{filename} stores no config; pass the config file explicitly')
    return Config.fromstring(text, file_format='.py')
