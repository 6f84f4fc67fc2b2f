"""The one place where fst_plugin adapts MMEngine 0.10.7 to today's torch.

torch >= 2.6 loads with ``weights_only=True`` by default, so a checkpoint cannot run code
while it loads. MMEngine 0.10.7's local loader follows that default but cannot read
safetensors and fails on its own training checkpoints with an unhelpful pickle error.
:func:`apply` registers :func:`fst_plugin.engine.checkpoint_loading.load_local_checkpoint`
for local paths: still weights-only (nothing in a file runs), plus safetensors, plus a
message that says why a file was refused and how to convert it. Full unpickling exists only
inside :func:`~fst_plugin.engine.checkpoint_loading.trusted_checkpoint_loading`, entered for
``--resume`` of a run's own work dir and for an explicit ``--trust-checkpoint``.
"""
from .engine.checkpoint_loading import install


def apply() -> None:
    """Install the safe loader for local paths (idempotent)."""
    install()
