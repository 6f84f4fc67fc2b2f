"""MMEngine's CheckpointHook with atomic checkpoint and ``last_checkpoint`` writes."""
import os
import os.path as osp
import shutil
import tempfile

from mmengine.hooks import CheckpointHook

from mmagic.registry import HOOKS
from ..atomic_local_backend import BACKEND_NAME, atomic_write

STAGING_PREFIX = '.last_checkpoint.'


class _WorkDirRedirect:
    """The runner, except that ``work_dir`` points to a staging folder."""

    def __init__(self, runner, work_dir: str):
        self._runner, self.work_dir = runner, work_dir

    def __getattr__(self, name):
        return getattr(self._runner, name)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` whose files are never left half-written by a killed run.

    A run killed while saving (out of memory, pre-emption, SIGKILL) must leave the previous
    checkpoint and the ``last_checkpoint`` pointer that ``--resume`` reads intact. In
    MMEngine 0.10.7 the hook writes both in place: the checkpoint through its file backend,
    the pointer with ``open(path, 'w')`` (truncated first, so a kill in between leaves it
    empty). This hook
    - gives the checkpoint writes the ``'atomic_local'`` backend (temporary file, fsync,
      rename; :class:`~fst_plugin.engine.AtomicLocalBackend`) unless ``backend_args`` or
      ``file_client_args`` choose another;
    - lets MMEngine write the pointer into a staging folder inside the work dir and moves it
      into place atomically (a killed save's staging folder is removed when training
      starts again).
    Everything else is MMEngine's hook. ``configs/_base_/default_runtime.py`` uses it.

    Args:
        *args, **kwargs: Those of ``mmengine.hooks.CheckpointHook``.
    """

    def __init__(self, *args, backend_args=None, **kwargs):
        if backend_args is None and kwargs.get('file_client_args') is None:
            backend_args = dict(backend=BACKEND_NAME)
        super().__init__(*args, backend_args=backend_args, **kwargs)

    def before_train(self, runner) -> None:
        """MMEngine's set-up; what saves of the pointer killed earlier left (staging
        folders, half-written ``.last_checkpoint.*.tmp`` files) is removed."""
        super().before_train(runner)
        for name in os.listdir(runner.work_dir):
            path = osp.join(runner.work_dir, name)
            if name.startswith(STAGING_PREFIX):
                if osp.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.remove(path)

    def _save_checkpoint_with_step(self, runner, step, meta):
        staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=runner.work_dir)
        try:
            super()._save_checkpoint_with_step(_WorkDirRedirect(runner, staging), step, meta)
            staged = osp.join(staging, 'last_checkpoint')
            if osp.isfile(staged):  # the main process only
                with open(staged, 'rb') as f:
                    atomic_write(f.read(), osp.join(runner.work_dir, 'last_checkpoint'))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
