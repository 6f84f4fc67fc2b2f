from .recurrent_video_deblurrer import RecurrentVideoDeblurrer
from .video_deblurrer import VideoDeblurrer

__all__ = ['RecurrentVideoDeblurrer', 'VideoDeblurrer']
