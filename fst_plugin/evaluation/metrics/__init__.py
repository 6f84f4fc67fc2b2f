from .sequence_psnr_ssim import SequencePSNRSSIM

__all__ = ['SequencePSNRSSIM']
