from .test_visualization_hook import TestVisualizationHook

__all__ = ['TestVisualizationHook']
