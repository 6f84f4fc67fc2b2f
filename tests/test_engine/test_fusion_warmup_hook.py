import logging
from types import SimpleNamespace

import pytest
import torch

from mmagic.registry import HOOKS, MODELS


def make_runner(iteration):
    model = MODELS.build(dict(
        type='VideoDeblurrer',
        generator=dict(type='EDVRDeblurNet', mid_channels=8, deform_groups=1,
                       num_blocks_extraction=1, num_blocks_reconstruction=1),
        pixel_loss=dict(type='CharbonnierLoss')))
    return SimpleNamespace(model=model, iter=iteration, logger=logging.getLogger('t'))


def trainable(model):
    return {n.split('.')[1] for n, p in model.named_parameters() if p.requires_grad}


def test_only_fusion_trains_during_warmup_then_everything():
    hook = HOOKS.build(dict(type='FusionWarmupHook', warmup_iters=3))
    runner = make_runner(0)
    hook.before_train_iter(runner, 0)
    assert trainable(runner.model) == {'fusion'}
    runner.iter = 3
    hook.before_train_iter(runner, 3)
    assert 'predeblur' in trainable(runner.model) and 'reconstruction' in trainable(runner.model)


def test_resume_after_warmup_does_not_freeze_again():
    hook = HOOKS.build(dict(type='FusionWarmupHook', warmup_iters=3))
    runner = make_runner(10)  # as after resuming at iteration 10
    hook.before_train_iter(runner, 0)
    assert all(p.requires_grad for p in runner.model.parameters())


def test_missing_submodule_is_named():
    hook = HOOKS.build(dict(type='FusionWarmupHook', warmup_iters=3, trainable='tsa'))
    with pytest.raises(AttributeError, match="no submodule 'tsa'"):
        hook.before_train_iter(make_runner(0), 0)
