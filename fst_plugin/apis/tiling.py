"""Overlapping tiles and smooth blending weights for restoring frames piece by piece."""
from typing import List, Optional, Tuple

import torch
from torch import Tensor

Tile = Tuple[int, int, int, int]  # y0, y1, x0, x1


def tile_starts(length: int, tile: int, overlap: int) -> List[int]:
    """Start offsets of tiles of ``tile`` pixels overlapping by at least ``overlap``,
    covering ``length``; the last tile ends exactly at ``length``."""
    if tile >= length:
        return [0]
    if not 0 <= overlap < tile:
        raise ValueError(f'tile overlap must be in [0, tile), got {overlap} for tile {tile}')
    step = tile - overlap
    starts = list(range(0, length - tile, step)) + [length - tile]
    return sorted(set(starts))


def tile_grid(h: int, w: int, tile: Optional[int], overlap: int) -> List[Tile]:
    """Tiles (y0, y1, x0, x1) covering an h x w frame; one tile when ``tile`` is None."""
    if not tile:
        return [(0, h, 0, w)]
    return [(y, min(y + tile, h), x, min(x + tile, w))
            for y in tile_starts(h, tile, overlap) for x in tile_starts(w, tile, overlap)]


def blend_weight(tile: Tile, h: int, w: int, overlap: int, device=None) -> Tensor:
    """(1, 1, th, tw) blending weights of a tile.

    At tile edges that lie inside the frame, the outer ``overlap // 4`` pixels get weight
    0 (they saw replicate padding instead of the real neighbourhood, so the neighbouring
    tile, for which they are interior, is used alone) and the weight then rises linearly
    to 1 across the rest of the overlap, so overlapping tiles cross-fade without seams.
    Edges on the frame border stay at 1. Accumulated weights are divided out afterwards;
    every pixel keeps a positive total weight.
    """
    y0, y1, x0, x1 = tile

    def ramp(n, at_start, at_end):
        r = torch.ones(n, device=device)
        k = min(overlap, n // 2)
        if k > 0:
            margin = k // 4
            pos = torch.arange(k, device=device, dtype=torch.float32)
            edge = ((pos - margin + 1) / (k - margin + 1)).clamp(0, 1)
            if at_start:
                r[:k] = edge
            if at_end:
                r[n - k:] = edge.flip(0)
        return r

    wy = ramp(y1 - y0, y0 > 0, y1 < h)
    wx = ramp(x1 - x0, x0 > 0, x1 < w)
    return (wy[:, None] * wx[None, :])[None, None]
