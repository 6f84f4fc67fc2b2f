"""Tiles that cover a frame and blending weights that cross-fade them without seams."""
import pytest
import torch

from fst_plugin.apis.tiling import blend_weight, tile_grid, tile_starts


def test_tile_starts_cover_the_length_with_at_least_the_overlap():
    assert tile_starts(100, 128, 32) == [0]  # one tile when it fits
    assert tile_starts(100, 48, 16) == [0, 32, 52]  # the last tile ends at the border
    for length, tile, overlap in [(720, 256, 32), (1280, 384, 32), (97, 40, 8)]:
        starts = tile_starts(length, tile, overlap)
        assert starts[0] == 0 and starts[-1] + tile == length
        assert all(b - a <= tile - overlap for a, b in zip(starts, starts[1:]))
    with pytest.raises(ValueError, match='overlap must be in'):
        tile_starts(100, 40, 40)


def test_whole_frame_is_one_tile():
    assert tile_grid(70, 90, None, 16) == [(0, 70, 0, 90)]


def test_blend_weights_cover_every_pixel_and_ignore_tile_borders():
    h, w = 70, 90
    total = torch.zeros(1, 1, h, w)
    tiles = tile_grid(h, w, 48, 16)
    assert len(tiles) == 6  # 2 rows x 3 columns, the last ones flush with the border
    for t in tiles:
        wgt = blend_weight(t, h, w, 16)
        total[..., t[0]:t[1], t[2]:t[3]] += wgt
        mid = wgt[0, 0, wgt.shape[2] // 2]  # a row away from the top/bottom edges
        if t[2] > 0:  # inner left edge: the outer overlap // 4 columns are not used
            assert (mid[:4] == 0).all() and mid[4] > 0
        else:  # frame border: used from the first column
            assert mid[0] == 1
    assert (total > 0.2).all()
