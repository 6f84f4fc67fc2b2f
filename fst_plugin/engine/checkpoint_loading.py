"""Loading checkpoints without running code from them: safe by default, trusted on request.

A pickled ``.pth`` can run arbitrary code while it is unpickled (``__reduce__``), which is
why torch >= 2.6 loads with ``weights_only=True`` by default. MMEngine 0.10.7's loader for
local paths (``load_from``, ``--resume``, ``load_checkpoint``) calls ``torch.load`` without
the argument, so it follows that default, and fails on MMEngine's own training checkpoints:
they hold the message hub's ``HistoryBuffer`` objects, which pickle bound methods through
``builtins.getattr``. Allow-listing them is not safe (``getattr`` reaches any attribute of
the allowed types), so instead:

- :func:`load_local_checkpoint` is MMEngine's local loader made explicit and safe: a
  ``.safetensors`` file is read as tensors plus string metadata, anything else with
  ``torch.load(weights_only=True)``. A file that needs more stops with
  :class:`UnsafeCheckpointError`, which says why and how to convert it; nothing in it ran.
  :func:`install` registers it for local paths (it changes nothing that torch's default
  would allow; it adds safetensors and the message).
- :func:`trusted_checkpoint_loading` re-registers MMEngine's full-pickle behaviour for the
  duration of a ``with`` block only. The project enters it where the user asked for it:
  ``--resume`` of a run's own work dir (train.py) and an explicit ``--trust-checkpoint``.
"""
import contextlib
import os.path as osp
import pickle
import threading
from typing import Iterator

import torch
from mmengine.runner.checkpoint import CheckpointLoader

SAFETENSORS_SUFFIX = '.safetensors'
_trust = threading.local()


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds pickled objects that only a full (code-running) load can read."""


def _read_safetensors(filename: str, map_location) -> dict:
    from safetensors import safe_open
    device = 'cpu' if map_location is None or callable(map_location) else str(map_location)
    tensors = {}
    with safe_open(filename, framework='pt', device=device) as f:
        meta = dict(f.metadata() or {})
        for key in f.keys():
            tensors[key] = f.get_tensor(key)
    return dict(state_dict=tensors, meta=meta)


def _is_trusted() -> bool:
    return getattr(_trust, 'depth', 0) > 0


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """Load a local checkpoint, running no code from it unless loading is trusted.

    Args:
        filename (str): ``.safetensors`` (tensors + string metadata) or a torch file.
        map_location: As for :func:`torch.load`.

    Returns:
        dict: The checkpoint (``{'state_dict': ..., 'meta': ...}`` for safetensors).

    Raises:
        FileNotFoundError: no such file.
        UnsafeCheckpointError: the file holds objects beyond tensors and plain containers
            and loading is not trusted.
        RuntimeError: the file is truncated or not a checkpoint (the message names it).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    trusted = _is_trusted()
    try:
        if filename.endswith(SAFETENSORS_SUFFIX):
            return _read_safetensors(filename, map_location)
        return torch.load(filename, map_location=map_location, weights_only=not trusted)
    except pickle.UnpicklingError as err:
        if trusted or 'Weights only load failed' not in str(err):
            raise RuntimeError(f'cannot read checkpoint {filename}: {err}') from err
        raise UnsafeCheckpointError(
            f'checkpoint {filename} holds pickled objects beyond weights (an MMEngine '
            'training checkpoint keeps its message hub; a crafted file could hold code), so '
            'it was not loaded and nothing in it ran. Only weights are needed here: convert '
            f'it once with `python tools/model_converters/convert_checkpoint.py {filename} '
            'OUT.safetensors --trust-checkpoint` if you trust its origin, or pass '
            '--trust-checkpoint to this command.') from None
    except Exception as err:  # truncated or foreign files: say which file
        raise RuntimeError(f'cannot read checkpoint {filename}: {type(err).__name__}: {err}. '
                           'Is it a complete PyTorch checkpoint?') from err


@contextlib.contextmanager
def trusted_checkpoint_loading(enabled: bool = True) -> Iterator[None]:
    """Inside the block, local ``.pth`` files load with ``weights_only=False`` (may run code).

    Enter it only for files the user vouched for: the ``--resume`` checkpoint of their own
    run, or any file given with ``--trust-checkpoint``. Re-entrant and thread-local.

    Args:
        enabled (bool): False makes the block a no-op (convenient for a CLI flag).
    """
    if not enabled:
        yield
        return
    _trust.depth = getattr(_trust, 'depth', 0) + 1
    try:
        yield
    finally:
        _trust.depth -= 1


def install() -> None:
    """Register :func:`load_local_checkpoint` as MMEngine's loader for local paths."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
