from .edvr_deblur import EDVRDeblurNet
from .fst import FSTNet
from .single_frame import SingleFrameControlNet
from .stfan import STFANNet

__all__ = ['EDVRDeblurNet', 'FSTNet', 'SingleFrameControlNet', 'STFANNet']
