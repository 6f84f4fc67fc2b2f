from .frequency_loss import FrequencyReconstructionLoss
from .perceptual_weights import check_perceptual_loss_weights, vgg_weights_file

__all__ = ['FrequencyReconstructionLoss', 'check_perceptual_loss_weights', 'vgg_weights_file']
