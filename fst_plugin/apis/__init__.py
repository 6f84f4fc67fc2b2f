from .checkpoint_check import check_checkpoint_matches
from .efficiency import MAC_RULES, count_macs, count_params, measure_network, peak_memory_mb
from .model_loading import load_model
from .runner_setup import enable_amp, resolve_work_dir, setup_distributed
from .video_deblur_inferencer import VideoDeblurInferencer

__all__ = [
    'check_checkpoint_matches', 'enable_amp', 'resolve_work_dir', 'setup_distributed',
    'load_model', 'VideoDeblurInferencer', 'MAC_RULES', 'count_macs', 'count_params', 'measure_network', 'peak_memory_mb'
]
