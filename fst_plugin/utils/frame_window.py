"""Which frames form the window of a target frame, with padding at the sequence ends."""
from typing import List, Sequence

PADDINGS = ('replicate', 'reflection')


def pad_frame_index(i: int, n: int, padding: str = 'replicate') -> int:
    """Index of the frame that stands in for frame ``i`` of a sequence of ``n`` frames.

    ``'replicate'`` repeats the first/last frame; ``'reflection'`` mirrors without
    repeating the edge frame (-1 -> 1, n -> n - 2), which needs ``n`` larger than the reach.
    """
    if 0 <= i < n:
        return i
    if padding == 'replicate':
        return min(max(i, 0), n - 1)
    if padding == 'reflection':
        return -i if i < 0 else 2 * (n - 1) - i
    raise ValueError(f'padding must be one of {PADDINGS}, got {padding!r}')


def window_indices(target: int, num_frames: int, n: int, padding: str = 'replicate',
                   window: str = 'center', interval: int = 1) -> List[int]:
    """Frame indices of the ``num_frames`` window of ``target`` in a sequence of ``n``.

    ``window='center'``: target - T//2 .. target + T//2; ``'trailing'``: the T frames that
    end at the target. With ``interval`` k the neighbours are k frames apart (target - k*T//2,
    ..., target, ..., target + k*T//2: footage of a k times lower frame rate). Indices outside
    [0, n) are padded with :func:`pad_frame_index`.
    """
    offsets = (range(-(num_frames // 2), num_frames // 2 + 1) if window == 'center' else
               range(1 - num_frames, 1))
    return [pad_frame_index(target + o * interval, n, padding) for o in offsets]


def limit_temporal_radius(window: Sequence, radius: int) -> list:
    """``window`` (T items, T odd, the centre at T // 2) with every item farther than
    ``radius`` from the centre replaced by the nearest kept one, as ``padding='replicate'``
    pads a sequence's ends (0: the centre item T times)."""
    centre = len(window) // 2
    low, high = centre - radius, centre + radius
    return [window[min(max(i, low), high)] for i in range(len(window))]
