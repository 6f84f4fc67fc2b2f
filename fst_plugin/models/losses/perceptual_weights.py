"""Refuse to build MMagic's PerceptualLoss when its VGG weights are not on disk."""
import os.path as osp

import torch
import torchvision.models as tv_models


def vgg_weights_file(vgg_type: str) -> str:
    """Where torchvision (and so MMagic's ``PerceptualVGG``) looks for ImageNet weights."""
    enum_name = {'vgg16': 'VGG16_Weights', 'vgg19': 'VGG19_Weights'}.get(vgg_type)
    if enum_name is None:
        raise ValueError(f"PerceptualLoss: vgg_type must be 'vgg16' or 'vgg19', got {vgg_type!r}")
    url = getattr(tv_models, enum_name).IMAGENET1K_V1.url
    return osp.join(torch.hub.get_dir(), 'checkpoints', osp.basename(url))


def check_perceptual_loss_weights(loss_cfg: dict) -> None:
    """Raise a clear error if a ``PerceptualLoss`` config cannot get pretrained weights.

    MMagic 1.2.0's ``PerceptualVGG`` ignores its ``pretrained`` argument and always calls
    ``torchvision.models.<vgg_type>(pretrained=True)``, which downloads into the torch hub
    cache; offline that ends in a bare ``URLError``. A perceptual loss on a randomly
    initialized VGG would train silently towards nonsense, so the loss is refused unless
    the weights file is already in the cache. Other loss configs pass through.

    Args:
        loss_cfg (dict): One loss config.
    """
    if str(loss_cfg.get('type', '')).split('.')[-1] != 'PerceptualLoss':
        return
    path = vgg_weights_file(loss_cfg.get('vgg_type', 'vgg19'))
    if osp.isfile(path):
        return
    pretrained = loss_cfg.get('pretrained', 'torchvision://vgg19')
    note = '' if str(pretrained).startswith('torchvision://') else (
        f' (MMagic 1.2.0 ignores pretrained={pretrained!r}: copy that file to the path '
        'above)')
    raise FileNotFoundError(
        f'PerceptualLoss needs ImageNet {loss_cfg.get("vgg_type", "vgg19")} weights, not '
        f'found at {path}{note}. Download {osp.basename(path)} from download.pytorch.org '
        'on a connected machine and put it there (or point TORCH_HOME at a cache that has '
        'it), or remove the PerceptualLoss entry from model.pixel_loss to train without '
        'the perceptual term.')
