from .channel_concat import cat_channels
from .coarse_to_fine import coarse_to_fine, resize_frames
from .padding import pad_to_multiple

__all__ = ['cat_channels', 'coarse_to_fine', 'pad_to_multiple', 'resize_frames']
