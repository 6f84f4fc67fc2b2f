"""PerceptualLoss in a deblurrer without the VGG weights on disk: a clear error."""
import pytest
import torch

from mmagic.registry import MODELS


def test_perceptual_loss_without_vgg_weights_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r'vgg19-dcbb9e9d\.pth.*remove the Perceptual'):
        MODELS.build(dict(
            type='RecurrentVideoDeblurrer',
            generator=dict(type='STFANNet', channels=(4, 8, 8)),
            pixel_loss=[
                dict(type='MSELoss'),
                dict(type='PerceptualLoss', layer_weights={'20': 1.0},
                     perceptual_weight=0.01, style_weight=0)],
            data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                                   std=[255., 255., 255.])))
