"""The one place where fst_plugin adapts MMEngine 0.10.7 and MMagic 1.2.0 to today's stack.

numpy 2 removed the ``np.bool8`` alias that ``mmagic.utils.trans_utils`` reads at import
time, so on a node whose PyTorch comes with numpy 2 ``import mmagic`` fails.
:func:`restore_numpy_aliases` puts the alias back (it names the same type as ``np.bool_``);
it runs when ``fst_plugin`` is imported, which the tools do before anything imports mmagic.

torch >= 2.6 loads with ``weights_only=True`` by default, so a checkpoint cannot run code
while it loads. MMEngine 0.10.7's local loader follows that default but cannot read
safetensors and fails on its own training checkpoints with an unhelpful pickle error.
:func:`apply` registers :func:`fst_plugin.engine.checkpoint_loading.load_local_checkpoint`
for local paths: still weights-only (nothing in a file runs), plus safetensors, plus a
message that says why a file was refused and how to convert it. Full unpickling exists only
inside :func:`~fst_plugin.engine.checkpoint_loading.trusted_checkpoint_loading`, entered for
``--resume`` of a run's own work dir and for an explicit ``--trust-checkpoint``.
"""
import numpy as np


def restore_numpy_aliases() -> None:
    """Give numpy >= 2 back the ``bool8`` alias MMagic 1.2.0 imports (idempotent)."""
    # numpy 1.x still has the alias (reading it there only warns); 2.x has none
    if int(np.__version__.split('.')[0]) >= 2 and 'bool8' not in vars(np):
        np.bool8 = np.bool_


restore_numpy_aliases()

from .engine.checkpoint_loading import install  # noqa: E402


def apply() -> None:
    """Install the safe loader for local paths (idempotent)."""
    restore_numpy_aliases()
    install()
