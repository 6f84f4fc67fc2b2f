import pytest
import torch

from fst_plugin.models.fusions import (FactorizedSpatioTemporalAttention,
                                       FSTAttentionWithLocalPath)


def test_starts_as_fsta_and_loads_its_weights():
    torch.manual_seed(0)
    fsta = FactorizedSpatioTemporalAttention(8, num_spatial_maps=2, num_temporal_maps=3)
    hybrid = FSTAttentionWithLocalPath(8, num_frames=5, num_spatial_maps=2,
                                       num_temporal_maps=3)
    missing, unexpected = hybrid.load_state_dict(fsta.state_dict(), strict=False)
    assert unexpected == [] and all(k.startswith('local_path.') for k in missing)
    assert len(missing) == 4
    x = torch.randn(2, 5, 8, 10, 12)
    with torch.no_grad():
        torch.testing.assert_close(hybrid(x, 2), fsta(x, 2))


def test_local_path_adds_a_neighbours_local_detail():
    """A neighbour's pixel changes the output near it only through the local path, and
    there as the path's two convs say (a naive reference)."""
    torch.manual_seed(0)
    hybrid = FSTAttentionWithLocalPath(4, num_frames=3)
    torch.nn.init.normal_(hybrid.local_path.body[2].weight, std=0.1)
    x = torch.randn(1, 3, 4, 16, 16)
    with torch.no_grad():
        out = hybrid(x, 1)
        z = hybrid.local_path.body[0](x.reshape(1, 12, 16, 16))
        z = torch.nn.functional.leaky_relu(z, 0.1)
        local = hybrid.local_path.body[2](z)
        torch.testing.assert_close(out, FactorizedSpatioTemporalAttention.forward(
            hybrid, x, 1) + local)
        x2 = x.clone()
        x2[:, 0, :, 3, 3] += 5  # a neighbour's pixel
        delta = (hybrid(x2, 1) - out).abs().sum(1)[0]
    # local near (3, 3) (two 3x3 convs: 2 px), a global trace of FSTA's descriptors elsewhere
    near = delta[1:6, 1:6].mean()
    far = delta[10:, 10:].mean()
    assert near > 20 * far


def test_gradient_reaches_the_zero_initialised_path():
    hybrid = FSTAttentionWithLocalPath(4, num_frames=3)
    hybrid(torch.randn(1, 3, 4, 8, 8), 1).square().sum().backward()
    assert hybrid.local_path.body[2].weight.grad.abs().sum() > 0


def test_wrong_number_of_frames_names_the_shape():
    with pytest.raises(ValueError,
                       match=r'FSTAttentionWithLocalPath expects \(b, 5, 4, h, w\)'
                             r'.*\(1, 3, 4, 8, 8\)'):
        FSTAttentionWithLocalPath(4, num_frames=5)(torch.randn(1, 3, 4, 8, 8), 1)
