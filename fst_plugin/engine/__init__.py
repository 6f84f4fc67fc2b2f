from .atomic_local_backend import AtomicLocalBackend, atomic_write, install
from .checkpoint_check import check_checkpoint_matches
from .checkpoint_loading import (UnsafeCheckpointError, load_local_checkpoint,
                                 trusted_checkpoint_loading)
from .hooks import (AtomicCheckpointHook, FusionWarmupHook, SaveRestoredImagesHook,
                    TrainTimeBudgetHook)
from .loops import IndexSkippingIterBasedTrainLoop
from .optimizers import AutocastOptimWrapper
from .runner_setup import (enable_amp, enable_compile, resolve_work_dir, set_time_budget,
                           setup_distributed, teardown_distributed, trust_runner_checkpoints)
from .weights_export import config_from_weights, convert_checkpoint, read_metadata, save_weights

install()

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend', 'atomic_write', 'AutocastOptimWrapper',
    'FusionWarmupHook', 'IndexSkippingIterBasedTrainLoop',
    'SaveRestoredImagesHook',
    'TrainTimeBudgetHook',
    'check_checkpoint_matches', 'UnsafeCheckpointError', 'load_local_checkpoint',
    'trusted_checkpoint_loading',
    'config_from_weights', 'convert_checkpoint', 'read_metadata', 'save_weights',
    'enable_amp', 'enable_compile', 'resolve_work_dir', 'set_time_budget', 'setup_distributed',
    'teardown_distributed', 'trust_runner_checkpoints'
]
