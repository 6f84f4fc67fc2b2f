"""Model analysis: parameters, MACs, latency and peak memory per output frame."""
from .efficiency import MAC_RULES, count_macs, count_params, measure_network, peak_memory_mb

__all__ = ['MAC_RULES', 'count_macs', 'count_params', 'measure_network', 'peak_memory_mb']
