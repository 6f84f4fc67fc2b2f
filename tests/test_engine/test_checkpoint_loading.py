"""No entry point runs code from a checkpoint unless the user asked for it (issue: safe loading).

The crafted checkpoint below creates a marker file when it is unpickled. Every command and
API that only needs weights is given it: each must stop with a clear message and the marker
must never appear. Our own checkpoints still load where trusted, and converted weights give
bit-identical outputs.
"""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from mmagic.registry import MODELS
from fst_plugin.apis import VideoDeblurInferencer, load_model
from fst_plugin.engine import (UnsafeCheckpointError, config_from_weights, convert_checkpoint,
                               read_metadata, save_weights, trusted_checkpoint_loading)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = ("model = dict(generator=dict(mid_channels=(8, 8, 8), growth_channels=(4, 4, 4), "
        "num_dense_layers=1, num_decoder_blocks=(1, 1, 1)))\n")


class _Payload:
    """Unpickling this runs ``touch <marker>`` (what a crafted checkpoint would do)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


@pytest.fixture()
def crafted(tmp_path):
    marker = tmp_path / 'code_ran'
    path = str(tmp_path / 'crafted.pth')
    torch.save(dict(state_dict={'generator.conv_last.bias': torch.zeros(3)},
                    meta=_Payload(str(marker))), path)
    return path, marker


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    """A tiny FST config, a trained-style MMEngine checkpoint (message hub inside) and the
    model it holds."""
    tmp = tmp_path_factory.mktemp('tiny')
    config = str(tmp / 'tiny_fst.py')
    with open(config, 'w') as f:
        f.write(f"_base_ = [{osp.join(ROOT, 'configs', 'fst_demo.py')!r}]\n" + TINY)
    cfg = Config.fromfile(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    hub = MessageHub.get_instance('ckpt_loading_test')
    hub.update_scalar('train/loss', 0.5)
    ckpt = str(tmp / 'iter_7.pth')
    save_checkpoint(dict(state_dict=model.state_dict(), message_hub=hub.state_dict(),
                         meta=dict(iter=7, cfg=cfg.pretty_text)), ckpt)
    return config, ckpt, model.eval()


def test_the_crafted_file_really_runs_code_when_trusted(crafted):
    """Guards the other tests: the payload works, so its absence there means something."""
    path, marker = crafted
    with trusted_checkpoint_loading():
        _load_checkpoint(path, map_location='cpu')
    assert marker.exists()


def test_mmengine_loader_and_apis_refuse(crafted, tiny):
    path, marker = crafted
    config = tiny[0]
    with pytest.raises(UnsafeCheckpointError, match='nothing in it ran'):
        _load_checkpoint(path, map_location='cpu')
    with pytest.raises(UnsafeCheckpointError, match='convert_checkpoint.py'):
        load_model(config, path)
    with pytest.raises(UnsafeCheckpointError):
        VideoDeblurInferencer(config, path, device='cpu')
    with pytest.raises(UnsafeCheckpointError):
        convert_checkpoint(path, path + '.safetensors')
    assert not marker.exists()


def _tool(*args):
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='1',
               PYTHON=sys.executable)
    return subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_every_command_refuses(crafted, tiny, tiny_gopro, tmp_path):
    path, marker = crafted
    config = tiny[0]
    video = str(tmp_path / 'in')
    os.makedirs(video)
    import cv2
    import numpy as np
    for k in range(3):
        cv2.imwrite(osp.join(video, f'{k}.png'), np.full((16, 16, 3), 99, np.uint8))
    data = [f'{k}.dataset.data_root={tiny_gopro}'
            for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    py = sys.executable
    commands = {
        'deblur_video': [py, 'tools/deblur_video.py', config, path, video,
                         str(tmp_path / 'out')],
        'test': [py, 'tools/test.py', config, path, '--work-dir', str(tmp_path / 't'),
                 '--cfg-options'] + data,
        'dist_test': ['bash', 'tools/dist_test.sh', config, path, '1', '--work-dir',
                      str(tmp_path / 'd'), '--cfg-options'] + data,
        'compare': [py, 'tools/analysis_tools/compare.py', '--data-root', tiny_gopro, '--out-dir',
                    str(tmp_path / 'c'), '--method', 'FST', config, path],
        'visualize_attention': [py, 'tools/analysis_tools/visualize_attention.py', config, path, video,
                                '--out-dir', str(tmp_path / 'v')],
        'train load_from': [py, 'tools/train.py', config, '--work-dir', str(tmp_path / 'w'),
                            '--cfg-options', f'load_from={path}'] + data,
        'train --resume elsewhere': [py, 'tools/train.py', config, '--work-dir',
                                     str(tmp_path / 'w2'), '--resume', path,
                                     '--cfg-options'] + data,
        'convert': [py, 'tools/model_converters/convert_checkpoint.py', path, str(tmp_path / 'x.safetensors')],
    }
    for name, cmd in commands.items():
        proc = _tool(*cmd)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, f'{name} accepted the crafted checkpoint'
        assert not marker.exists(), f'{name} ran code from the checkpoint'
        if name == 'compare':  # the child test.py's log says why
            out = open(tmp_path / 'c' / 'FST' / 'test_console.log').read()
        assert 'nothing in it ran' in out and '--trust-checkpoint' in out, (name, out[-2000:])


def test_own_checkpoint_needs_trust_and_converts_bit_identically(tiny, tmp_path):
    config, ckpt, model = tiny
    with pytest.raises(UnsafeCheckpointError):  # message hub: not weights-only
        load_model(config, ckpt)
    with trusted_checkpoint_loading():
        loaded = _load_checkpoint(ckpt)
    assert isinstance(loaded['message_hub']['log_scalars']['train/loss'], HistoryBuffer)

    x = torch.rand(1, 5, 3, 20, 24)
    with torch.no_grad():
        expected = model(x, mode='tensor')
    for ext in ('safetensors', 'pth'):
        out = str(tmp_path / f'w.{ext}')
        meta = convert_checkpoint(ckpt, out, trust=True)
        assert meta['iteration'] == '7' and meta['source'] == 'iter_7.pth'
        if ext == 'pth':  # a weights-only .pth loads under torch's own safe default
            torch.load(out, weights_only=True)
        for cfg in (config, None):  # None: the config stored in the weights file
            restored = load_model(cfg, out)
            with torch.no_grad():
                assert torch.equal(restored(x, mode='tensor'), expected)
    stored = config_from_weights(str(tmp_path / 'w.safetensors'))
    assert tuple(stored.model.generator.mid_channels) == (8, 8, 8)


def test_save_weights_metadata_and_errors(tiny, tmp_path):
    config, _, model = tiny
    path = save_weights(model, str(tmp_path / 'm.safetensors'), config=Config.fromfile(config),
                        iteration=3)
    meta = read_metadata(path)
    assert meta['format'] == 'fst_plugin.weights/1' and meta['iteration'] == '3'
    assert 'FSTNet' in meta['config']
    with pytest.raises(ValueError, match='.safetensors or .pth'):
        save_weights(model, str(tmp_path / 'm.bin'))
    bare = save_weights(model, str(tmp_path / 'bare.safetensors'))
    with pytest.raises(ValueError, match='stores no config'):
        load_model(None, bare)
