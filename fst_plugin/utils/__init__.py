from .allocator import keep_freed_memory
from .memory_info import available_memory, cgroup_headroom, peak_memory_mb
from .frame_window import limit_temporal_radius, pad_frame_index, window_indices
from .video_io import is_video_file, iter_frames, list_image_files, video_properties

__all__ = [
    'keep_freed_memory', 'available_memory', 'cgroup_headroom', 'peak_memory_mb',
    'pad_frame_index', 'window_indices', 'limit_temporal_radius',
    'is_video_file', 'iter_frames', 'list_image_files', 'video_properties'
]
