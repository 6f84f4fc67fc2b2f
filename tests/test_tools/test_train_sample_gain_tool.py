"""tools/analysis_tools/train_sample_gain.py on tiny synthesized GOPRO-layout data (CPU)."""
import importlib.util
import os.path as osp

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/ablations/single-frame-control_1xb4-900i_demo.py')


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'train_sample_gain', osp.join(ROOT, 'tools/analysis_tools/train_sample_gain.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def control_weights(path, output_bias):
    """The control network, whose last conv starts at zero (the identity), with its output
    bias set to ``output_bias``."""
    from mmengine.config import Config

    import fst_plugin  # noqa: F401
    from fst_plugin.engine import save_weights
    from mmagic.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    cfg = Config.fromfile(CONFIG)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        model.generator.conv_last.bias.fill_(output_bias)
    save_weights(model, str(path), config=cfg)
    return str(path)


def test_identity_gains_nothing_and_an_offset_loses(tiny_gopro, tmp_path):
    tool = load_tool()
    options = ['--cfg-options', f'train_dataloader.dataset.data_root={tiny_gopro}',
               'train_dataloader.dataset.pipeline.2.gt_patch_size=32']
    identity = control_weights(tmp_path / 'identity.safetensors', 0.0)
    out = str(tmp_path / 'identity.json')
    summary = tool.main([CONFIG, identity, '--samples', '6', '--out', out] + options)
    assert summary['samples'] == 6 and summary['blurry'] + summary['mild'] == 6
    assert summary['blurry_mean_gain'] == pytest.approx(0, abs=1e-6)

    import json
    rows = json.load(open(out))['rows']
    assert all(r['gain'] == pytest.approx(0, abs=1e-6) for r in rows)
    assert all(10 < r['input_psnr'] < 60 for r in rows)  # blurry frames of a moving scene

    # a constant offset on the output makes every sample worse by what its PSNR says
    offset = control_weights(tmp_path / 'offset.safetensors', 0.05)
    again = tool.main([CONFIG, offset, '--samples', '6', '--out', out] + options)
    moved = json.load(open(out))['rows']
    assert [r['index'] for r in moved] == [r['index'] for r in rows]  # same seeded draw
    assert [r['input_psnr'] for r in moved] == pytest.approx([r['input_psnr'] for r in rows])
    assert all(r['gain'] < -0.1 for r in moved)
    assert again['blurry_mean_gain'] is None or again['blurry_mean_gain'] < -0.1


def test_missing_weights_are_named(tmp_path, capsys):
    tool = load_tool()
    missing = str(tmp_path / 'nope.safetensors')
    with pytest.raises(SystemExit) as error:
        tool.main([CONFIG, missing])
    assert error.value.code == 2
    assert missing in capsys.readouterr().err
