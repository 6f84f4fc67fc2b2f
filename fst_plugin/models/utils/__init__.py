from .padding import pad_to_multiple

__all__ = ['pad_to_multiple']
