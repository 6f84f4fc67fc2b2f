"""tools/model_converters/average_weights.py: two runs' exported weights -> one weights file that loads."""
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config
from safetensors.torch import load_file

from fst_plugin.apis.model_loading import load_model

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'model_converters'))
import average_weights as tool  # noqa: E402

TINY = dict(type='FSTNet', mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),
            num_dense_layers=1, num_decoder_blocks=(1, 1, 1))


def test_soup_of_two_runs_loads_with_its_config(tmp_path):
    from mmagic.registry import MODELS
    import fst_plugin  # noqa: F401
    from fst_plugin.engine import read_metadata
    from fst_plugin.engine.weights_export import save_weights
    cfg = Config.fromfile(osp.join(ROOT, 'configs/fst_demo.py'))
    cfg.model.generator = TINY
    members = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        net = MODELS.build(TINY)
        path = str(tmp_path / f'run{seed}' / 'iter_12.safetensors')
        save_weights({f'generator.{k}': v for k, v in net.state_dict().items()}, path,
                     config=cfg, iteration=12, train_seconds=10 + seed)
        members.append(path)
    out = str(tmp_path / 'soup' / 'iter_12.safetensors')
    tool.main(members + ['--out', out])
    with pytest.raises(SystemExit, match='exists; pass --overwrite'):
        tool.main(members + ['--out', out])
    tool.main(members + ['--out', out, '--overwrite'])

    model = load_model(None, out)  # the config comes from the file's metadata
    a, b = (load_file(p) for p in members)
    key = next(k for k in a if k.endswith('weight'))
    torch.testing.assert_close(model.state_dict()[key], (a[key] + b[key]) / 2,
                               rtol=0, atol=1e-6)
    meta = read_metadata(out)
    assert meta['soup_of'] == ' '.join(members)
    assert meta['train_seconds'] == '10 / 11'
    assert meta['iteration'] == '12'

    wise = str(tmp_path / 'wise' / 'iter_12.safetensors')
    tool.main(members + ['--out', wise, '--weights', '0.25', '0.75'])
    model = load_model(None, wise)
    torch.testing.assert_close(model.state_dict()[key], 0.25 * a[key] + 0.75 * b[key],
                               rtol=0, atol=1e-6)
    assert read_metadata(wise)['soup_weights'] == '0.25 0.75'
    with pytest.raises(ValueError, match='one value per member'):
        tool.main(members + ['--out', wise, '--overwrite', '--weights', '1'])

    # weights that ship say what they are instead of 'A / B'
    tool.main(members + ['--out', wise, '--overwrite', '--weights', '0.25', '0.75', '--set',
                         'experiment_name=wise_run', 'iteration=12', 'note=a=b'])
    meta = read_metadata(wise)
    assert (meta['experiment_name'], meta['iteration'], meta['note']) == ('wise_run', '12',
                                                                          'a=b')
    assert meta['train_seconds'] == '10 / 11' and 'FSTNet' in meta['config']
    with pytest.raises(SystemExit, match='KEY=VALUE'):
        tool.main(members + ['--out', wise, '--overwrite', '--set', 'iteration'])
    with pytest.raises(ValueError, match=r"\['config'\] cannot be set"):
        tool.main(members + ['--out', wise, '--overwrite', '--set', 'config=x'])
