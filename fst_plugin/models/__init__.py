from .base_models import VideoDeblurrer
from .editors import FSTNet
from .fusions import (ConcatConvFusion, FactorizedSpatioTemporalAttention,
                      SpatioTemporalNonLocalFusion)
from .losses import FrequencyReconstructionLoss

__all__ = [
    'VideoDeblurrer', 'FSTNet', 'ConcatConvFusion', 'FactorizedSpatioTemporalAttention',
    'SpatioTemporalNonLocalFusion', 'FrequencyReconstructionLoss'
]
