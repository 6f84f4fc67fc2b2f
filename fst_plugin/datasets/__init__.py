from .video_deblur_dataset import VideoDeblurDataset

__all__ = ['VideoDeblurDataset']
