from .frame_store_builder import build_frame_store
from .transforms import LimitTemporalRadius, LoadFramesFromStore
from .video_deblur_dataset import VideoDeblurDataset

__all__ = ['VideoDeblurDataset', 'LimitTemporalRadius', 'LoadFramesFromStore',
           'build_frame_store']
