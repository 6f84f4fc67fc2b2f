"""An iteration-based training loop that resumes without loading the batches it skips."""
import logging

from mmengine.dataset import InfiniteSampler
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop

from mmagic.registry import LOOPS


@LOOPS.register_module()
class IndexSkippingIterBasedTrainLoop(IterBasedTrainLoop):
    """MMEngine's ``IterBasedTrainLoop`` whose ``--resume`` skips indices, not batches.

    After ``--resume`` MMEngine's loop draws and throws away every batch the run had
    already trained on, so that the data stream continues where it stopped. With clips
    synthesised on the fly, or large frames decoded from disk, that costs about as long as
    loading the data of the whole first part of the run. This loop draws the same number of
    indices from the sampler instead, which only the main process does and which loads
    nothing: the stream of samples continues at the same place as with MMEngine's loop.
    Random augmentations inside the workers are not replayed (their generators start
    afresh), so a resumed run sees the same clips with other random draws.

    It applies to MMEngine's ``InfiniteSampler`` (the sampler of the project's
    iteration-based configs), whose index stream is one generator shared by every pass
    of the dataloader. With any other sampler it skips as MMEngine does, loading batches.

    Args:
        runner (Runner): The runner, as for ``IterBasedTrainLoop``.
        dataloader (DataLoader | dict): The training dataloader or its config.
        max_iters (int): Total training iterations.
        val_begin (int): Iteration at which validation starts. Default: 1.
        val_interval (int): Validation interval in iterations. Default: 1000.
        dynamic_intervals (list[tuple[int, int]], optional): Changes of ``val_interval``
            as for ``IterBasedTrainLoop``. Default: None.
    """

    def run(self):
        if self._skip_sampler_indices(self._iter):
            # MMEngine's run() then calls next() once per iteration already trained: those
            # calls get nothing instead of a batch, since their indices are already drawn.
            self.dataloader_iterator = _AfterPlaceholders(self.dataloader_iterator, self._iter)
        return super().run()

    def _skip_sampler_indices(self, iters: int) -> bool:
        """Draw ``iters`` batches of indices from an InfiniteSampler; False if not one."""
        if iters <= 0:
            return False
        batch_sampler = getattr(self.dataloader, 'batch_sampler', None)
        sampler = getattr(batch_sampler, 'sampler', None)
        if not isinstance(sampler, InfiniteSampler):
            return False
        count = iters * batch_sampler.batch_size
        for _ in range(count):
            next(sampler.indices)
        print_log(f'Resuming at iteration {iters}: drew {count} sampler indices without '
                  f'loading their data', logger='current', level=logging.INFO)
        return True


class _AfterPlaceholders:
    """Iterator that yields ``None`` ``count`` times, then the batches of ``iterator``."""

    def __init__(self, iterator, count: int):
        self.iterator, self.count = iterator, count

    def __iter__(self):
        return self

    def __next__(self):
        if self.count > 0:
            self.count -= 1
            return None
        return next(self.iterator)
