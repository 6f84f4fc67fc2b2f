from .fst_net import FSTNet

__all__ = ['FSTNet']
