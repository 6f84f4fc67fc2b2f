from .video_io import is_video_file, iter_frames, list_image_files, video_properties

__all__ = ['is_video_file', 'iter_frames', 'list_image_files', 'video_properties']
