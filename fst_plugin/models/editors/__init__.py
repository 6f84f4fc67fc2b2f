from .edvr_deblur import EDVRDeblurNet
from .fst import FSTNet
from .stfan import STFANNet

__all__ = ['EDVRDeblurNet', 'FSTNet', 'STFANNet']
