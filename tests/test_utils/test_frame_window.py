"""Frame windows with padding at the sequence ends, against hand-written index lists."""
import pytest

from fst_plugin.utils import limit_temporal_radius, pad_frame_index, window_indices


def test_centre_window_replicates_the_ends():
    assert window_indices(0, 5, 6) == [0, 0, 0, 1, 2]
    assert window_indices(3, 5, 6) == [1, 2, 3, 4, 5]
    assert window_indices(5, 5, 6) == [3, 4, 5, 5, 5]
    assert window_indices(0, 3, 1) == [0, 0, 0]


def test_interval_spaces_the_neighbours_and_pads_the_same_way():
    assert window_indices(5, 5, 12, interval=2) == [1, 3, 5, 7, 9]
    assert window_indices(1, 5, 12, interval=3) == [0, 0, 1, 4, 7]
    assert window_indices(2, 5, 12, 'reflection', interval=2) == [2, 0, 2, 4, 6]
    assert window_indices(6, 3, 12, window='trailing', interval=3) == [0, 3, 6]


def test_reflection_mirrors_without_repeating_the_edge():
    assert window_indices(0, 5, 6, 'reflection') == [2, 1, 0, 1, 2]
    assert window_indices(5, 5, 6, 'reflection') == [3, 4, 5, 4, 3]


def test_trailing_window_ends_at_the_target():
    assert window_indices(1, 4, 6, window='trailing') == [0, 0, 0, 1]
    assert window_indices(5, 3, 6, window='trailing') == [3, 4, 5]


def test_unknown_padding_is_named():
    assert pad_frame_index(2, 4, 'anything') == 2  # inside: no padding needed
    with pytest.raises(ValueError, match="padding must be one of.*'wrap'"):
        pad_frame_index(-1, 4, 'wrap')


def test_limit_temporal_radius_keeps_the_centre_and_replicates_inwards():
    assert limit_temporal_radius([10, 11, 12, 13, 14], 0) == [12] * 5
    assert limit_temporal_radius([10, 11, 12, 13, 14], 1) == [11, 11, 12, 13, 13]
    assert limit_temporal_radius([10, 11, 12, 13, 14], 9) == [10, 11, 12, 13, 14]
    # a padded end window: positions, not values, decide what is kept
    assert limit_temporal_radius([3, 4, 5, 5, 5], 1) == [4, 4, 5, 5, 5]
