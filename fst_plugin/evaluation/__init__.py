from .metrics import SequencePSNRSSIM

__all__ = ['SequencePSNRSSIM']
