from .concat_fusion import ConcatConvFusion
from .fst_attention import FactorizedSpatioTemporalAttention
from .non_local_fusion import SpatioTemporalNonLocalFusion

__all__ = [
    'ConcatConvFusion', 'FactorizedSpatioTemporalAttention', 'SpatioTemporalNonLocalFusion'
]
