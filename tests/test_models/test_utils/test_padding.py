"""pad_to_multiple: replicate padding at the bottom/right only, untouched when aligned."""
import torch

from fst_plugin.models.utils import pad_to_multiple


def test_pads_bottom_right_by_replication():
    x = torch.arange(2 * 3 * 5 * 6, dtype=torch.float32).reshape(2, 3, 5, 6)
    y = pad_to_multiple(x, 4)
    assert y.shape == (2, 3, 8, 8)
    assert torch.equal(y[..., :5, :6], x)
    assert torch.equal(y[..., 5:, :6], x[..., 4:5, :].expand(2, 3, 3, 6))
    assert torch.equal(y[..., :5, 6:], x[..., :, 5:6].expand(2, 3, 5, 2))
    assert torch.equal(y[..., 7, 7], x[..., 4, 5])


def test_aligned_input_is_returned_as_is():
    x = torch.rand(1, 3, 16, 32)
    assert pad_to_multiple(x, 16) is x
