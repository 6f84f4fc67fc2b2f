from .filter_adaptive_conv import filter_adaptive_conv
from .stfan_net import STFANNet

__all__ = ['STFANNet', 'filter_adaptive_conv']
