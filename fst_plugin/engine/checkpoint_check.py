"""Refuse a checkpoint that does not belong to the model a config builds."""
from typing import List, Sequence

import torch
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import _load_checkpoint


def check_checkpoint_matches(model: torch.nn.Module, filename: str, max_listed: int = 8,
                             ignore_prefixes: Sequence[str] = ()) -> List[str]:
    """Raise ``ValueError`` unless the checkpoint's weights fit ``model`` exactly.

    MMEngine loads ``load_from`` with ``strict=False`` and only logs a warning, so testing a
    checkpoint of another model or config silently scores randomly initialised layers. This
    check lists the missing and unexpected keys and the shape mismatches instead.

    Args:
        model (nn.Module): The model built from the config (wrappers are unwrapped).
        filename (str): Checkpoint path.
        max_listed (int): How many keys of each kind the message lists. Default: 8.
        ignore_prefixes (Sequence[str]): Keys under these prefixes may differ (a config
            that declares it starts part of the model fresh, e.g. EDVR's TSA fusion
            initialised from an EDVR trained without it). Default: ().

    Returns:
        list[str]: The keys that differ under ``ignore_prefixes`` (empty if none).
    """
    if is_model_wrapper(model):
        model = model.module
    ckpt = _load_checkpoint(filename, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'checkpoint {filename} holds no state_dict')
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    expected = model.state_dict()
    prefixes = tuple(ignore_prefixes)
    shape_differs = {k for k in set(state) & set(expected)
                     if hasattr(state[k], 'shape')
                     and tuple(state[k].shape) != tuple(expected[k].shape)}
    differing = (set(expected) ^ set(state)) | shape_differs
    ignored = sorted(k for k in differing if prefixes and k.startswith(prefixes))
    missing = sorted(set(expected) - set(state) - set(ignored))
    unexpected = sorted(set(state) - set(expected) - set(ignored))
    mismatched = sorted(
        f'{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(expected[k].shape)}'
        for k in shape_differs - set(ignored))
    if not (missing or unexpected or mismatched):
        return ignored
    parts = [f'checkpoint {filename} does not match the model built from this config '
             f'({type(model).__name__} with {type(getattr(model, "generator", model)).__name__}); '
             'was it trained with another config?']
    for title, keys in (('missing keys', missing), ('unexpected keys', unexpected),
                        ('shape mismatches', mismatched)):
        if keys:
            parts.append(f'{len(keys)} {title}: {_listing(keys, max_listed)}')
    raise ValueError('\n  '.join(parts))


def _listing(keys: List[str], limit: int) -> str:
    more = f' ... (+{len(keys) - limit} more)' if len(keys) > limit else ''
    return ', '.join(keys[:limit]) + more
