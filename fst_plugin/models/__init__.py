from .base_models import RecurrentVideoDeblurrer, VideoDeblurrer
from .editors import EDVRDeblurNet, FSTNet, STFANNet
from .fusions import (ConcatConvFusion, FactorizedSpatioTemporalAttention,
                      SpatioTemporalNonLocalFusion)
from .losses import FrequencyReconstructionLoss

__all__ = [
    'VideoDeblurrer', 'RecurrentVideoDeblurrer', 'FSTNet', 'EDVRDeblurNet', 'STFANNet',
    'ConcatConvFusion', 'FactorizedSpatioTemporalAttention', 'SpatioTemporalNonLocalFusion',
    'FrequencyReconstructionLoss'
]
