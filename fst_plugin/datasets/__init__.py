from .camera_shake_dataset import CameraShakePhotoDataset
from .frame_store_builder import build_frame_store
from .transforms import (LimitTemporalRadius, LoadFramesFromStore, PairedRandomShrunkCrop,
                         RandomStillScene)
from .synthesized_footage_dataset import SynthesizedFootageDataset
from .video_deblur_dataset import VideoDeblurDataset

__all__ = [
    'VideoDeblurDataset', 'CameraShakePhotoDataset', 'SynthesizedFootageDataset',
    'LimitTemporalRadius', 'LoadFramesFromStore', 'PairedRandomShrunkCrop', 'RandomStillScene',
    'build_frame_store'
]
