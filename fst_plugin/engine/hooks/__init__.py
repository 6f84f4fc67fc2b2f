from .atomic_checkpoint_hook import AtomicCheckpointHook
from .fusion_warmup_hook import FusionWarmupHook
from .test_visualization_hook import TestVisualizationHook

__all__ = ['AtomicCheckpointHook', 'FusionWarmupHook', 'TestVisualizationHook']
