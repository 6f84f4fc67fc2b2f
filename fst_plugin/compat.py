"""The one place where fst_plugin adapts MMEngine 0.10.7 to today's torch.

torch >= 2.6 made ``torch.load(weights_only=True)`` the default. MMEngine 0.10.7's local
checkpoint loader (``mmengine.runner.checkpoint.load_from_local``, used by ``load_from``,
``--resume`` and ``tools/test.py``) calls ``torch.load`` without the argument, and the
checkpoints MMEngine writes hold more than tensors: the message hub's ``HistoryBuffer``
objects, numpy arrays and scalars, and, inside each ``HistoryBuffer``, bound methods
pickled through ``builtins.getattr``. Every checkpoint of our own runs therefore fails to
load with ``UnpicklingError: Weights only load failed``.

An allow-list cannot fix this safely: it would have to allow ``getattr``, which lets a
pickle reach arbitrary attributes of the allowed types. So the fix restores MMEngine's
pre-torch-2.6 behaviour in exactly one place: MMEngine's loader for *local paths* is
re-registered (same prefix, same checks) with ``weights_only=False``. ``torch.load``
itself, HTTP/hub loading and every other caller keep torch's safe default. As with any
MMEngine version on torch < 2.6, only load checkpoints you trust.
"""
import os.path as osp

import torch
from mmengine.runner.checkpoint import CheckpointLoader


def load_local_checkpoint(filename: str, map_location=None):
    """MMEngine's ``load_from_local`` with ``weights_only=False`` made explicit.

    Args:
        filename (str): Local checkpoint path (``~`` is expanded).
        map_location: Same as :func:`torch.load`.

    Returns:
        dict: The checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    try:
        return torch.load(filename, map_location=map_location, weights_only=False)
    except Exception as err:  # truncated or foreign files: say which file
        raise RuntimeError(f'cannot read checkpoint {filename}: {type(err).__name__}: {err}. '
                           'Is it a complete PyTorch checkpoint?') from err


def apply() -> None:
    """Install the loader for local paths (idempotent)."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
