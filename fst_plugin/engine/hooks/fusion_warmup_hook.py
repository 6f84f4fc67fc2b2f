"""Train only the fusion module for the first iterations (EDVR's TSA warm-up)."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmagic.registry import HOOKS


@HOOKS.register_module()
class FusionWarmupHook(Hook):
    """Freeze every generator parameter outside the fusion module for ``warmup_iters``.

    MMagic's ``EDVR`` wrapper does this with a step counter kept in a non-persistent
    buffer, so a resumed run freezes the network again; this hook decides from
    ``runner.iter`` before every iteration, so resuming (or starting past the warm-up)
    does the right thing. Under DDP set ``model_wrapper_cfg.find_unused_parameters=True``
    (the configs do), since frozen parameters get no gradient.

    Args:
        warmup_iters (int): Iterations during which only the fusion module trains.
        trainable (str): Name of the generator submodule that trains during the warm-up.
            Default: ``'fusion'``.
    """

    priority = 'NORMAL'

    def __init__(self, warmup_iters: int, trainable: str = 'fusion'):
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        self.warmup_iters = warmup_iters
        self.trainable = trainable
        self._frozen = None

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        """Freeze or unfreeze when the phase changes."""
        freeze = runner.iter < self.warmup_iters
        if freeze == self._frozen:
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        generator = model.generator
        if not hasattr(generator, self.trainable):
            raise AttributeError(f'FusionWarmupHook: {type(generator).__name__} has no '
                                 f'submodule {self.trainable!r} to train during the warm-up')
        prefix = self.trainable + '.'
        for name, param in generator.named_parameters():
            param.requires_grad_(not freeze or name.startswith(prefix))
        self._frozen = freeze
        runner.logger.info(f'FusionWarmupHook: iteration {runner.iter}: ' + (
            f'training only generator.{self.trainable} until iteration {self.warmup_iters}'
            if freeze else 'training the whole generator'))
