from .fusion_warmup_hook import FusionWarmupHook
from .test_visualization_hook import TestVisualizationHook

__all__ = ['FusionWarmupHook', 'TestVisualizationHook']
