import pytest
import torch
import torch.nn.functional as F

from mmagic.registry import MODELS
from fst_plugin.models.editors import SingleFrameControlNet


def test_starts_as_the_identity_and_is_registered():
    net = MODELS.build(dict(type='SingleFrameControlNet', mid_channels=4))
    assert isinstance(net, SingleFrameControlNet)
    x = torch.rand(2, 5, 3, 9, 13)
    torch.testing.assert_close(net(x), x[:, 2])


def test_output_is_the_centre_frame_plus_a_two_layer_residual_of_it_alone():
    torch.manual_seed(0)
    net = SingleFrameControlNet(mid_channels=4, num_frames=3)
    torch.nn.init.normal_(net.conv_last.weight, std=0.2)
    x = torch.rand(1, 3, 3, 8, 10)
    hidden = F.leaky_relu(F.conv2d(x[:, 1], net.conv_first.weight, net.conv_first.bias,
                                   padding=1), 0.1)
    expected = x[:, 1] + F.conv2d(hidden, net.conv_last.weight, net.conv_last.bias, padding=1)
    torch.testing.assert_close(net(x), expected)
    other = x.clone()
    other[:, 0], other[:, 2] = torch.rand(1, 3, 8, 10), torch.rand(1, 3, 8, 10)
    torch.testing.assert_close(net(other), net(x))  # the neighbours are not read
    net(x).sum().backward()
    assert net.conv_first.weight.grad.abs().sum() > 0


def test_wrong_clip_shape_is_refused():
    net = SingleFrameControlNet()
    with pytest.raises(ValueError, match=r'expects \(b, 5, c, h, w\).*\(1, 3, 3, 8, 8\)'):
        net(torch.rand(1, 3, 3, 8, 8))
