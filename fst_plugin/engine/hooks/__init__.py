from .atomic_checkpoint_hook import AtomicCheckpointHook
from .fusion_warmup_hook import FusionWarmupHook
from .save_restored_images_hook import SaveRestoredImagesHook
from .train_time_budget_hook import TrainTimeBudgetHook

__all__ = [
    'AtomicCheckpointHook', 'FusionWarmupHook', 'SaveRestoredImagesHook', 'TrainTimeBudgetHook'
]
