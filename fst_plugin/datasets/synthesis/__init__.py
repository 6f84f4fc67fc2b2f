from .blurry_video import write_blurry_video
from .gopro_writer import average_window, parse_size, synthesize_gopro, write_sequence
from .procedural import ProceduralScene, random_texture

__all__ = [
    'average_window', 'parse_size', 'synthesize_gopro', 'write_sequence', 'ProceduralScene',
    'random_texture', 'write_blurry_video'
]
