from .hooks import TestVisualizationHook

__all__ = ['TestVisualizationHook']
