"""Write checkpoints and ``last_checkpoint`` atomically: temporary file, fsync, rename."""
import os
import os.path as osp
import tempfile
from pathlib import Path
from typing import Union

from mmengine.fileio.backends import LocalBackend, register_backend

CHUNK = 16 * 2**20


def _write_chunks(f, data: bytes, target: str) -> None:
    """Write ``data`` (destined for ``target``) to the open temporary file ``f`` in chunks
    (a test kills the process in here)."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        f.write(view[start:start + CHUNK])


def atomic_write(data: bytes, filepath: Union[str, Path]) -> None:
    """Replace ``filepath`` with ``data`` so that readers see the old or the new file.

    The bytes go to a temporary file in the same folder, are flushed and fsync'ed, and the
    file is renamed over ``filepath`` (``os.replace`` is atomic on POSIX). A process that
    dies mid-write leaves at most a ``.<name>.*.tmp`` file behind, never a truncated
    ``filepath``.
    """
    filepath = str(filepath)
    folder = osp.dirname(osp.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(filepath)}.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            _write_chunks(f, data, filepath)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class AtomicLocalBackend(LocalBackend):
    """MMEngine's ``LocalBackend`` whose ``put``/``put_text`` write atomically.

    MMEngine 0.10.7 writes ``iter_N.pth`` in place with ``open(path, 'wb')``: a run killed
    while a checkpoint is being written (out of memory, pre-emption, SIGKILL) leaves a
    truncated file. Registered under the name ``'atomic_local'`` only (MMEngine's
    ``'local'`` backend, which every other path in the process uses, is left alone):
    :class:`~fst_plugin.engine.hooks.AtomicCheckpointHook` asks for it through its
    ``backend_args``, so checkpoint writes, and nothing else, go through it.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Atomically write bytes to ``filepath``."""
        atomic_write(obj, filepath)

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        """Atomically write text to ``filepath``."""
        atomic_write(obj.encode(encoding), filepath)


BACKEND_NAME = 'atomic_local'


def install() -> None:
    """Register :class:`AtomicLocalBackend` as ``'atomic_local'`` (idempotent; no path
    prefix, so nothing uses it unless its ``backend_args`` name it)."""
    register_backend(BACKEND_NAME, AtomicLocalBackend, force=True)
