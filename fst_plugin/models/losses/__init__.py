from .frequency_loss import FrequencyReconstructionLoss

__all__ = ['FrequencyReconstructionLoss']
