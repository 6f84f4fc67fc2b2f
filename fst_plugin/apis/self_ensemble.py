"""The eight flips and transposes of a frame, for x8 self-ensemble at inference.

Restoration papers (EDVR among them) report a "x8 self-ensemble": the network runs on the
input under each of the 8 symmetries of the square (identity, flips, transpose and their
compositions), every output is mapped back and the 8 are averaged. MMagic's
``SpatialTemporalEnsemble`` does this for a model call on a whole clip; the streaming
inferencer needs the transforms one frame (tile) at a time, with one encoder cache or
recurrent state per view, hence these functions.
"""
from typing import NamedTuple, Optional, Tuple

from torch import Tensor


class View(NamedTuple):
    """One symmetry of the square: flips of the height and width axes, then a transpose.

    Args:
        transpose (bool): Swap height and width (after the flips).
        flip_h (bool): Flip the height axis (upside down).
        flip_w (bool): Flip the width axis (mirror).
    """
    transpose: bool = False
    flip_h: bool = False
    flip_w: bool = False


IDENTITY = View()
DIHEDRAL = tuple(View(t, fh, fw) for t in (False, True) for fh in (False, True)
                 for fw in (False, True))


def to_view(x: Tensor, view: View) -> Tensor:
    """``x`` (..., h, w) as the network sees it in ``view`` (contiguous)."""
    if view == IDENTITY:
        return x
    dims = [d for d, on in ((-2, view.flip_h), (-1, view.flip_w)) if on]
    if dims:
        x = x.flip(dims)
    if view.transpose:
        x = x.transpose(-2, -1)
    return x.contiguous()


def from_view(x: Tensor, view: View) -> Tensor:
    """Undo :func:`to_view`: an output (..., h', w') of ``view`` back in frame axes."""
    if view == IDENTITY:
        return x
    if view.transpose:
        x = x.transpose(-2, -1)
    dims = [d for d, on in ((-2, view.flip_h), (-1, view.flip_w)) if on]
    if dims:
        x = x.flip(dims)
    return x.contiguous()


def view_size(h: int, w: int, view: View) -> Tuple[int, int]:
    """(h, w) of a (h, w) frame seen in ``view``."""
    return (w, h) if view.transpose else (h, w)


def add_view(total: Optional[Tensor], restored: Tensor) -> Tensor:
    """Running sum of the views' outputs; the first output is taken as it is (no copy)."""
    return restored if total is None else total + restored


def average_views(total: Tensor, num_views: int) -> Tensor:
    """Mean of ``num_views`` summed outputs; a single view is returned unchanged."""
    return total if num_views == 1 else total / num_views
