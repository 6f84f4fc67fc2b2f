from .checkpoint_check import check_checkpoint_matches
from .efficiency import MAC_RULES, count_macs, count_params, measure_network, peak_memory_mb
from .model_loading import load_model
from .model_zoo import DEFAULT_WEIGHTS, default_weights
from .runner_setup import (enable_amp, enable_compile, resolve_work_dir, setup_distributed,
                           trust_runner_checkpoints)
from .video_deblur_inferencer import VideoDeblurInferencer

__all__ = [
    'check_checkpoint_matches', 'enable_amp', 'enable_compile', 'trust_runner_checkpoints',
    'resolve_work_dir', 'setup_distributed', 'load_model', 'DEFAULT_WEIGHTS', 'default_weights',
    'VideoDeblurInferencer', 'MAC_RULES', 'count_macs', 'count_params', 'measure_network',
    'peak_memory_mb'
]
