from .blurry_video import write_blurry_video
from .camera_motion import CameraMotionScene, read_clip
from .footage_dataset import (DEFAULT_RECIPE, synthesize_footage_dataset,
                              synthesize_sequence)
from .gopro_writer import average_window, parse_size, synthesize_gopro, write_sequence
from .natural_texture import dead_leaves_texture, defocus, natural_texture
from .procedural import ProceduralScene, random_texture

__all__ = [
    'average_window', 'parse_size', 'synthesize_gopro', 'write_sequence', 'ProceduralScene',
    'random_texture', 'write_blurry_video', 'CameraMotionScene', 'read_clip',
    'DEFAULT_RECIPE', 'synthesize_footage_dataset', 'synthesize_sequence',
    'dead_leaves_texture', 'defocus',
    'natural_texture'
]
