from .load_frames_from_store import LoadFramesFromStore

__all__ = ['LoadFramesFromStore']
