from .edvr_deblur_net import EDVRDeblurNet
from .portable_dcn import PortableModulatedDCNPack, make_dcn_portable

__all__ = ['EDVRDeblurNet', 'PortableModulatedDCNPack', 'make_dcn_portable']
