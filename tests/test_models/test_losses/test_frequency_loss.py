import numpy as np
import pytest
import torch

from mmagic.registry import MODELS


@pytest.mark.parametrize('norm', ['backward', 'ortho'])
def test_value_against_numpy(norm):
    torch.manual_seed(0)
    pred, target = torch.rand(2, 3, 6, 8), torch.rand(2, 3, 6, 8)
    loss = MODELS.build(dict(type='FrequencyReconstructionLoss', loss_weight=0.5, norm=norm))
    fp = np.fft.rfft2(pred.numpy(), norm=norm)
    ft = np.fft.rfft2(target.numpy(), norm=norm)
    expected = 0.5 * np.mean(np.abs(np.stack([fp.real - ft.real, fp.imag - ft.imag])))
    assert float(loss(pred, target)) == pytest.approx(expected, rel=1e-5)
    assert float(loss(pred, pred)) == 0


def test_penalizes_lost_high_frequencies_and_errors():
    loss = MODELS.build(dict(type='FrequencyReconstructionLoss'))
    img = torch.rand(1, 1, 16, 16)
    blurred = torch.nn.functional.avg_pool2d(img, 3, 1, 1, count_include_pad=False)
    assert loss(blurred, img) > 0
    with pytest.raises(ValueError, match='differ'):
        loss(img, img[..., :8])
    with pytest.raises(ValueError, match='reduction'):
        MODELS.build(dict(type='FrequencyReconstructionLoss', reduction='max'))
