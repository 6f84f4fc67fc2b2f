from .atomic_local_backend import AtomicLocalBackend, atomic_write, install
from .hooks import FusionWarmupHook, TestVisualizationHook

install()

__all__ = ['AtomicLocalBackend', 'atomic_write', 'FusionWarmupHook', 'TestVisualizationHook']
