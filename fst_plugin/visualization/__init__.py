from .comparison_grid import comparison_grid, most_blurred_box

__all__ = ['comparison_grid', 'most_blurred_box']
