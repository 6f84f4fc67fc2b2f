import pytest
import torch

from fst_plugin.models.fusions import ConcatConvFusion


def test_shape_and_locality():
    torch.manual_seed(0)
    module = ConcatConvFusion(4, num_frames=3)
    x = torch.randn(2, 3, 4, 12, 12)
    assert module(x, 1).shape == (2, 4, 12, 12)
    # two 3x3 convs: a pixel 6 px away cannot influence the output (no non-local gathering)
    x2 = x.clone()
    x2[:, 0, :, 11, 11] += 10
    with torch.no_grad():
        torch.testing.assert_close(module(x, 1)[..., :5, :5], module(x2, 1)[..., :5, :5])


def test_wrong_number_of_frames():
    with pytest.raises(ValueError, match=r'\(b, 3, 4, h, w\)'):
        ConcatConvFusion(4, num_frames=3)(torch.randn(1, 5, 4, 8, 8), 2)
