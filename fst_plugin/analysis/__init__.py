"""Model analysis: parameters, MACs, latency and peak memory per output frame."""
from ..utils.memory_info import peak_memory_mb
from .efficiency import MAC_RULES, count_macs, count_params, measure_network

__all__ = ['MAC_RULES', 'count_macs', 'count_params', 'measure_network', 'peak_memory_mb']
