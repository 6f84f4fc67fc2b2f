from ..engine.checkpoint_check import check_checkpoint_matches
from .model_loading import load_model
from .model_zoo import DEFAULT_WEIGHTS, default_weights
from .video_deblur_inferencer import VideoDeblurInferencer

__all__ = [
    'check_checkpoint_matches', 'load_model', 'DEFAULT_WEIGHTS', 'default_weights',
    'VideoDeblurInferencer'
]
