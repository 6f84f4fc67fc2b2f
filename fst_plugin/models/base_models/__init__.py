from .video_deblurrer import VideoDeblurrer

__all__ = ['VideoDeblurrer']
