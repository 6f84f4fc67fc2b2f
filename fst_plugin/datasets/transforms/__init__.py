from .limit_temporal_radius import LimitTemporalRadius
from .load_frames_from_store import LoadFramesFromStore
from .paired_random_shrunk_crop import PairedRandomShrunkCrop
from .random_still_scene import RandomStillScene

__all__ = [
    'LimitTemporalRadius', 'LoadFramesFromStore', 'PairedRandomShrunkCrop', 'RandomStillScene'
]
