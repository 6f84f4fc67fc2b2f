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


def test_channels_last_clip_gives_the_same_response():
    """A clip of channels-last frames is concatenated channels-last (no transpose to NCHW);
    the response equals that of the same clip in the default layout."""
    torch.manual_seed(0)
    module = ConcatConvFusion(4, num_frames=3).double()
    torch.nn.init.normal_(module.body[-1].weight, std=0.1)
    clip = torch.randn(2, 3, 4, 9, 7, dtype=torch.float64)
    frames_last = clip.permute(0, 1, 3, 4, 2).contiguous().permute(0, 1, 4, 2, 3)
    assert frames_last.stride(2) == 1
    with torch.no_grad():
        expected = module.local_response(clip, 1)
        out = module.local_response(frames_last, 1)
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-12)
    assert out.is_contiguous(memory_format=torch.channels_last)
