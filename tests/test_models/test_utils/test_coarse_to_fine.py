import pytest
import torch
import torch.nn.functional as F

from fst_plugin.models.utils import coarse_to_fine, resize_frames


def _centre(clip):
    return clip[:, clip.size(1) // 2]


def test_an_identity_network_gives_its_input_back():
    clip = torch.rand(2, 5, 3, 24, 34)
    torch.testing.assert_close(coarse_to_fine(_centre, clip, 0.5), _centre(clip))


def test_the_low_band_comes_from_the_coarse_run_and_the_detail_from_the_fine_run():
    """A network that blurs at full size and not at half size (as a long blur restored only
    at the scale where it is short): the merge takes the low band from the coarse run."""
    torch.manual_seed(0)
    clip = resize_frames(torch.rand(1, 3, 3, 8, 8), (32, 32)) + 0.05 * torch.rand(1, 3, 3, 32, 32)

    def blur_at_full_size(c):
        x = _centre(c)
        if x.shape[-1] < 32:
            return x
        return F.avg_pool2d(F.pad(x, (3, 3, 3, 3), mode='replicate'), 7, stride=1)

    target = _centre(clip)
    fine = blur_at_full_size(clip)
    merged = coarse_to_fine(blur_at_full_size, clip, 0.5)

    def low(x):
        return resize_frames(resize_frames(x, (16, 16)), (32, 32))

    def rms(x):
        return x.pow(2).mean().sqrt()

    assert rms(low(merged) - low(target)) < 0.4 * rms(low(fine) - low(target))
    assert rms(merged - target) < 0.6 * rms(fine - target)


def test_odd_sizes_and_every_frame_outputs_keep_their_shape():
    clip = torch.rand(1, 4, 3, 17, 23)
    out = coarse_to_fine(lambda c: c * 0.5, clip, 0.5)
    assert out.shape == clip.shape
    torch.testing.assert_close(out, clip * 0.5, atol=1e-5, rtol=0)


@pytest.mark.parametrize('scale', [0, 1, 1.5, -0.5])
def test_a_scale_outside_zero_one_is_refused(scale):
    with pytest.raises(ValueError, match='scale'):
        coarse_to_fine(_centre, torch.rand(1, 3, 3, 8, 8), scale)
