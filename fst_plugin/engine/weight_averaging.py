"""Weight averaging ("model soup") of runs that share a start.

Wortsman et al., "Model soups: averaging weights of multiple fine-tuned models improves
accuracy without increasing inference time", ICML 2022. Runs fine-tuned from the same
weights usually stay in one basin of the loss, so the elementwise mean of their weights
is a single network of the same size that is often better than either run
(``tools/model_converters/average_weights.py``). With per-member weights the mean becomes
a point on the line between a start and its fine-tuned descendant: WiSE-FT (Wortsman et
al., "Robust fine-tuning of zero-shot models", CVPR 2022), ``(1 - a) * start + a * tuned``.

Only safetensors files are read (loading them runs no code). Every member must hold the
same tensor names, shapes and dtypes; floating tensors are averaged in float64 and cast
back, other tensors (counters) must be equal in every member.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import torch

from .atomic_local_backend import atomic_write
from .checkpoint_loading import SAFETENSORS_SUFFIX


def _read(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    from safetensors import safe_open
    from safetensors.torch import load_file
    if not path.endswith(SAFETENSORS_SUFFIX):
        raise ValueError(f'{path}: weight averaging reads {SAFETENSORS_SUFFIX} files only '
                         '(tools/model_converters/convert_checkpoint.py converts a checkpoint)')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such weights file')
    with safe_open(path, 'pt') as f:
        metadata = dict(f.metadata() or {})
    return load_file(path), metadata


def check_member_weights(weights: Sequence[float], num_members: int) -> List[float]:
    """The mixing weights of ``num_members`` members: one each, none negative, sum 1."""
    weights = [float(w) for w in weights]
    if len(weights) != num_members:
        raise ValueError(f'the mixing weights (--weights) need one value per member: '
                         f'{num_members} members, {len(weights)} weights {weights}')
    if min(weights) < 0 or abs(sum(weights) - 1) > 1e-6:
        raise ValueError(f'the mixing weights (--weights) must be non-negative and sum to 1, '
                         f'got {weights}')
    return weights


def average_state_dicts(states: Sequence[Dict[str, torch.Tensor]],
                        names: Sequence[str] = (),
                        weights: Optional[Sequence[float]] = None) -> Dict[str, torch.Tensor]:
    """Elementwise (weighted) mean of state dicts with equal names, shapes and dtypes.

    Args:
        states (Sequence[dict]): At least two ``{name: tensor}`` dicts.
        names (Sequence[str]): What to call each member in errors (e.g. its file).
        weights (Sequence[float], optional): One mixing weight per member, non-negative,
            summing to 1. Default: None (the uniform mean).

    Returns:
        dict: ``{name: mean tensor}`` in the first member's dtypes.
    """
    if len(states) < 2:
        raise ValueError(f'averaging needs at least two members, got {len(states)}')
    weights = check_member_weights(
        [1 / len(states)] * len(states) if weights is None else weights, len(states))
    names = list(names) or [f'member {i}' for i in range(len(states))]
    first = states[0]
    for name, state in zip(names[1:], states[1:]):
        if state.keys() != first.keys():
            missing = sorted(first.keys() - state.keys())[:3]
            extra = sorted(state.keys() - first.keys())[:3]
            raise ValueError(f'{name} does not hold the tensors of {names[0]}: '
                             f'missing {missing}, extra {extra}')
        for key, value in state.items():
            if value.shape != first[key].shape or value.dtype != first[key].dtype:
                raise ValueError(
                    f'{name}: {key} is {tuple(value.shape)} {value.dtype}, '
                    f'{names[0]} has {tuple(first[key].shape)} {first[key].dtype}')
    soup = {}
    for key, value in first.items():
        if value.is_floating_point():
            total = sum(w * state[key].double() for w, state in zip(weights, states))
            soup[key] = total.to(value.dtype)
        else:
            for name, state in zip(names[1:], states[1:]):
                if not torch.equal(state[key], value):
                    raise ValueError(f'{name}: {key} ({value.dtype}) differs from '
                                     f'{names[0]}; only floating tensors are averaged')
            soup[key] = value.clone()
    return soup


# metadata that must stay one readable value: the config text that rebuilds the network (the
# members hold the same tensors, so the first member's config builds the soup) and the format
FIRST_MEMBER_KEYS = ('config', 'format')


def _merged_metadata(metadatas: List[Dict[str, str]]) -> Dict[str, str]:
    """Keys all members agree on keep their value; others list every member's, ' / ',
    except :data:`FIRST_MEMBER_KEYS`, which keep the first member's."""
    merged = {}
    keys = sorted(set().union(*metadatas))
    for key in keys:
        values = [m.get(key, '-') for m in metadatas]
        if len(set(values)) == 1 or (key in FIRST_MEMBER_KEYS and key in metadatas[0]):
            merged[key] = values[0]
        else:
            merged[key] = ' / '.join(values)
    return merged


def average_weights(paths: Sequence[str], out: str,
                    weights: Optional[Sequence[float]] = None,
                    set_metadata: Optional[Dict[str, str]] = None) -> str:
    """Write the elementwise (weighted) mean of safetensors weight files to ``out``.

    Args:
        paths (Sequence[str]): Two or more ``*.safetensors`` files of one network.
        out (str): The ``*.safetensors`` file to write (must not be one of ``paths``).
        weights (Sequence[float], optional): One mixing weight per file, non-negative,
            summing to 1. Default: None (the uniform mean).
        set_metadata (dict, optional): Metadata entries that replace the merged ones (e.g.
            the ``experiment_name`` and ``iteration`` of weights that ship). ``config`` and
            ``format`` cannot be set: they must stay what rebuilds the network.

    Returns:
        str: ``out``. Its metadata keeps the keys on which the members agree, lists the
        members' values (``' / '``) where they differ (the config text and format: the first
        member's), names the members in ``soup_of`` and, when given, their weights in
        ``soup_weights``.
    """
    from safetensors.torch import save
    if not out.endswith(SAFETENSORS_SUFFIX):
        raise ValueError(f'--out {out} must end in {SAFETENSORS_SUFFIX}')
    if any(osp.abspath(p) == osp.abspath(out) for p in paths):
        raise ValueError(f'--out {out} is one of the members; write the soup elsewhere')
    fixed = sorted(set(set_metadata or {}) & set(FIRST_MEMBER_KEYS))
    if fixed:
        raise ValueError(f'metadata {fixed} cannot be set: it is what rebuilds the network')
    read = [_read(p) for p in paths]
    soup = average_state_dicts([state for state, _ in read], names=paths, weights=weights)
    metadata = _merged_metadata([meta for _, meta in read])
    metadata['soup_of'] = ' '.join(paths)
    if weights is not None:
        metadata['soup_weights'] = ' '.join(f'{w:g}' for w in weights)
    metadata.update({str(k): str(v) for k, v in (set_metadata or {}).items()})
    atomic_write(save(soup, metadata=metadata), out)  # readers never see a partial file
    return out
