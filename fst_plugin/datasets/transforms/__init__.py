from .limit_temporal_radius import LimitTemporalRadius
from .load_frames_from_store import LoadFramesFromStore

__all__ = ['LimitTemporalRadius', 'LoadFramesFromStore']
