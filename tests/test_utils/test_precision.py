"""'auto' precision follows the CPU's flags (faked here), and fp32 can always be forced."""
import pytest
import torch

from fst_plugin.utils import precision

def test_auto_follows_the_bf16_units(fake_cpu):
    fake_cpu('amx')
    assert precision.cpu_has_fast_bf16() and precision.cpu_model() == 'Test CPU AMX'
    assert precision.resolve_precision('auto', 'cpu') == 'bf16'
    assert 'amx_bf16' in precision.describe_cpu()
    fake_cpu('plain')
    assert not precision.cpu_has_fast_bf16()
    assert precision.resolve_precision('auto', 'cpu') == 'fp32'
    assert precision.describe_cpu() == 'Test CPU (no bf16 units)'


def test_explicit_precision_wins(fake_cpu):
    fake_cpu('amx')
    assert precision.resolve_precision('fp32', 'cpu') == 'fp32'
    with pytest.raises(ValueError, match='precision must be one of'):
        precision.resolve_precision('int8', 'cpu')


def test_unreadable_cpuinfo_means_fp32(tmp_path, monkeypatch):
    monkeypatch.setenv('FST_CPUINFO', str(tmp_path / 'missing'))
    assert precision.cpu_flags() == frozenset()
    assert precision.resolve_precision('auto', 'cpu') == 'fp32'


def test_inferencer_resolves_auto(fake_cpu, tmp_path):
    from mmengine.config import Config
    from mmengine.runner import save_checkpoint

    from fst_plugin.apis import VideoDeblurInferencer
    from mmagic.registry import MODELS
    import os.path as osp
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(osp.join(root, 'configs', 'fst_demo.py'))
    cfg.model.generator = dict(type='FSTNet', mid_channels=(8, ), growth_channels=(4, ),
                               num_dense_layers=1, num_decoder_blocks=(1, ))
    ckpt = str(tmp_path / 'tiny.pth')
    save_checkpoint(dict(state_dict=MODELS.build(cfg.model).state_dict(), meta={}), ckpt)
    fake_cpu('amx')
    auto = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None)
    assert auto.precision == 'bf16' and auto.dtype == torch.bfloat16
    forced = VideoDeblurInferencer(cfg, ckpt, device='cpu', dtype='fp32', tile=None)
    assert forced.precision == 'fp32'
    fake_cpu('plain')
    assert VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None).precision == 'fp32'
