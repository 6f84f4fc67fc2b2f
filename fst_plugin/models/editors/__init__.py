from .fst import FSTNet

__all__ = ['FSTNet']
