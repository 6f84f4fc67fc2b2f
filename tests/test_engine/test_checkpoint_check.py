import pytest
import torch
from mmengine.runner.checkpoint import save_checkpoint

from mmagic.registry import MODELS
from fst_plugin.engine import check_checkpoint_matches


def build(mid):
    return MODELS.build(dict(
        type='VideoDeblurrer',
        generator=dict(type='FSTNet', mid_channels=mid, growth_channels=(4, 4, 4),
                       num_dense_layers=1, num_decoder_blocks=(1, 1, 1)),
        pixel_loss=dict(type='L1Loss'),
        data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.],
                               std=[255., 255., 255.])))


def test_matching_checkpoint_passes(tmp_path):
    model = build((8, 8, 8))
    path = str(tmp_path / 'ok.pth')
    save_checkpoint(dict(state_dict=model.state_dict()), path)
    check_checkpoint_matches(build((8, 8, 8)), path)


def test_other_config_is_refused_with_keys(tmp_path):
    path = str(tmp_path / 'other.pth')
    save_checkpoint(dict(state_dict=build((8, 12, 16)).state_dict()), path)
    with pytest.raises(ValueError) as err:
        check_checkpoint_matches(build((8, 8, 8)), path)
    msg = str(err.value)
    assert 'other.pth does not match' in msg and 'another config' in msg
    assert 'shape mismatches' in msg and 'generator.' in msg

    state = build((8, 8, 8)).state_dict()
    state['generator.extra.weight'] = torch.zeros(1)
    del state['generator.conv_last.bias']
    save_checkpoint(dict(state_dict=state), path)
    with pytest.raises(ValueError, match=r'1 missing keys: generator.conv_last.bias'):
        check_checkpoint_matches(build((8, 8, 8)), path)
    with pytest.raises(ValueError, match=r'1 unexpected keys: generator.extra.weight'):
        check_checkpoint_matches(build((8, 8, 8)), path)


def test_declared_prefix_may_differ_and_nothing_else(tmp_path):
    """ignore_prefixes: keys under them may be missing, extra or reshaped (and are returned);
    a difference anywhere else is still refused."""
    path = str(tmp_path / 'stage1.pth')
    state = build((8, 8, 8)).state_dict()
    state['generator.conv_last.extra'] = torch.zeros(2)
    state['generator.conv_last.weight'] = torch.zeros(1, 2, 3)
    del state['generator.conv_last.bias']
    save_checkpoint(dict(state_dict=state), path)
    left = check_checkpoint_matches(build((8, 8, 8)), path,
                                    ignore_prefixes=['generator.conv_last.'])
    assert left == ['generator.conv_last.bias', 'generator.conv_last.extra',
                    'generator.conv_last.weight']
    with pytest.raises(ValueError, match='shape mismatches: generator.conv_last.weight'):
        check_checkpoint_matches(build((8, 8, 8)), path)
    other = sorted(k for k in state if not k.startswith('generator.conv_last.'))[0]
    del state[other]
    save_checkpoint(dict(state_dict=state), path)
    with pytest.raises(ValueError, match=f'1 missing keys: {other}$'):
        check_checkpoint_matches(build((8, 8, 8)), path,
                                 ignore_prefixes=['generator.conv_last.'])
