from .comparison_grid import comparison_grid, most_blurred_box
from .source_grid import grid_of_source, grid_of_video

__all__ = ['comparison_grid', 'most_blurred_box', 'grid_of_source', 'grid_of_video']
