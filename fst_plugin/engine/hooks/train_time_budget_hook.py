"""Stop training when a budget of wall time is spent (equal-time comparisons of models)."""
import time
from typing import Optional

from mmengine.dist import broadcast, get_world_size, is_distributed
from mmengine.hooks import CheckpointHook, Hook

from mmagic.registry import HOOKS

META_KEY = 'train_time_seconds'


@HOOKS.register_module()
class TrainTimeBudgetHook(Hook):
    """End an iteration-based run once its training has taken ``minutes`` of wall time.

    Models compared at an equal budget get the same time, whatever their speed. The time
    counted is that of the training iterations, data loading and checkpoint saving
    included; validation and the skipping of already-seen batches after ``--resume`` are
    left out. It is stored in every checkpoint's ``meta['train_time_seconds']`` and read
    back by ``--resume``, so a run split over sessions gets the same budget as one that is
    not. When the budget runs out the run stops after the current iteration with a
    checkpoint of it (saved by the config's ``CheckpointHook`` unless it just saved that
    iteration), so ``tools/train.py`` exports its weights as for a finished run. Under
    distributed training rank 0's clock decides for all ranks. The learning-rate schedule
    still follows ``max_iters``: set it to what the budget fits (``max_iters`` is then a
    bound that the budget usually does not reach before the end of the schedule).

    Args:
        minutes (float): Training wall time after which the run stops.
        sync_interval (int): Under distributed training, share rank 0's clock every this
            many iterations. Default: 10.
    """

    priority = 'LOWEST'  # after CheckpointHook: it may already save the last iteration

    def __init__(self, minutes: float, sync_interval: int = 10):
        if not minutes > 0:
            raise ValueError(f'TrainTimeBudgetHook: minutes must be > 0, got {minutes}')
        if sync_interval < 1:
            raise ValueError(f'TrainTimeBudgetHook: sync_interval must be >= 1, '
                             f'got {sync_interval}')
        self.budget = float(minutes) * 60
        self.sync_interval = sync_interval
        self.elapsed = 0.0
        self._last: Optional[float] = None
        self._val_start: Optional[float] = None

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """A resumed run continues from the time its checkpoint had spent."""
        self.elapsed = float(checkpoint.get('meta', {}).get(META_KEY, 0.0))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})[META_KEY] = self.elapsed

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        if self._last is None:  # the first iteration of this process
            self._last = time.perf_counter()

    def before_val_epoch(self, runner) -> None:
        self._val_start = time.perf_counter()

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._val_start is not None and self._last is not None:
            self._last += time.perf_counter() - self._val_start  # validation is not counted
        self._val_start = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        now = time.perf_counter()
        self.elapsed += now - self._last
        self._last = now
        spent = self.elapsed >= self.budget
        if is_distributed() and get_world_size() > 1:
            if (runner.iter + 1) % self.sync_interval:
                return
            spent = self._rank0_says_spent(spent)
        if not spent or runner.iter + 1 >= runner.max_iters:
            return
        runner.train_loop.stop_training = True
        runner.logger.info(
            f'TrainTimeBudgetHook: {self.elapsed / 60:.1f} of {self.budget / 60:g} minutes '
            f'spent; stopping after iteration {runner.iter + 1} of {runner.max_iters}')
        self._save_last(runner)

    def _rank0_says_spent(self, spent: bool) -> bool:
        import torch
        from mmengine.dist import get_comm_device
        flag = torch.tensor([float(spent), self.elapsed], dtype=torch.float64,
                            device=get_comm_device())
        broadcast(flag, src=0)
        self.elapsed = float(flag[1])  # every rank stores rank 0's clock
        return bool(flag[0])

    @staticmethod
    def _save_last(runner) -> None:
        """A checkpoint of this iteration, unless the checkpoint hook saved it already
        (decided by its own interval rule, as in ``CheckpointHook.after_train_iter``)."""
        for hook in runner.hooks:
            if isinstance(hook, CheckpointHook) and not hook.by_epoch:
                if not hook.every_n_train_iters(runner, hook.interval, hook.save_begin):
                    hook._save_checkpoint(runner)
                return
        runner.logger.warning('TrainTimeBudgetHook: no iteration-based CheckpointHook; '
                              'the stopped run leaves no checkpoint of its last iteration')
