from .concat_fusion import ConcatConvFusion
from .fst_attention import FactorizedSpatioTemporalAttention
from .fst_attention_local_path import FSTAttentionWithLocalPath
from .non_local_fusion import SpatioTemporalNonLocalFusion

__all__ = [
    'ConcatConvFusion', 'FactorizedSpatioTemporalAttention', 'FSTAttentionWithLocalPath',
    'SpatioTemporalNonLocalFusion'
]
