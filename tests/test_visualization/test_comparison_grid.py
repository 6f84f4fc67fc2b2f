import numpy as np

from fst_plugin.visualization import comparison_grid, most_blurred_box


def test_most_blurred_box_finds_the_differing_region():
    sharp = np.zeros((40, 60, 3), np.uint8)
    blurry = sharp.copy()
    blurry[25:35, 40:50] = 200  # the only difference
    y, x, s = most_blurred_box(blurry, sharp, 10)
    assert (y, x, s) == (25, 40, 10)
    assert most_blurred_box(blurry, sharp, 100)[2] == 40  # clipped to the image


def test_grid_layout_labels_and_zoomed_crops():
    rng = np.random.default_rng(0)
    tiles = [(name, rng.integers(0, 255, (30, 40, 3), dtype=np.uint8))
             for name in ('blurry', 'A', 'B', 'sharp')]
    grid = comparison_grid(tiles, (5, 6, 8), zoom=3, gap=4)
    # one row of frames, a gap, one row of 24x24 crops; 4 columns of 40 + 4 gap pixels
    assert grid.shape == (30 + 4 + 24, 4 * (40 + 4), 3) and grid.dtype == np.uint8
    crop = grid[34:58, 44:68]  # column 'A'
    np.testing.assert_array_equal(crop[::3, ::3], tiles[1][1][5:13, 6:14])
    assert (grid[0:3, 0:3] == 0).all()  # label background (black box) in the corner
