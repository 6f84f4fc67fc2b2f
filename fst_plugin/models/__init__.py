from .base_models import RecurrentVideoDeblurrer, VideoDeblurrer
from .editors import EDVRDeblurNet, FSTNet, SingleFrameControlNet, STFANNet
from .fusions import (ConcatConvFusion, FactorizedSpatioTemporalAttention,
                      SpatioTemporalNonLocalFusion)
from .losses import FrequencyReconstructionLoss

__all__ = [
    'VideoDeblurrer', 'RecurrentVideoDeblurrer', 'FSTNet', 'EDVRDeblurNet', 'STFANNet',
    'SingleFrameControlNet',
    'ConcatConvFusion', 'FactorizedSpatioTemporalAttention', 'SpatioTemporalNonLocalFusion',
    'FrequencyReconstructionLoss'
]
