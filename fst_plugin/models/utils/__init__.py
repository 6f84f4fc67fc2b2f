from .channel_concat import cat_channels
from .padding import pad_to_multiple

__all__ = ['cat_channels', 'pad_to_multiple']
