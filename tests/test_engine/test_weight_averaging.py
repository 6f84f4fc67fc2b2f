"""fst_plugin.engine.weight_averaging: the uniform soup that the shipped weights are."""
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from fst_plugin.engine.weight_averaging import average_state_dicts, average_weights


def _member(seed, counter=3):
    g = torch.Generator().manual_seed(seed)
    return {'conv.weight': torch.randn(4, 3, 3, 3, generator=g),
            'conv.bias': torch.randn(4, generator=g).to(torch.bfloat16),
            'bn.num_batches_tracked': torch.tensor(counter)}


def test_mean_matches_a_naive_mean_in_each_members_dtype():
    members = [_member(s) for s in (0, 1, 2)]
    soup = average_state_dicts(members)
    naive_w = (members[0]['conv.weight'] + members[1]['conv.weight']
               + members[2]['conv.weight']) / 3
    torch.testing.assert_close(soup['conv.weight'], naive_w, rtol=0, atol=1e-6)
    naive_b = sum(m['conv.bias'].double() for m in members) / 3
    assert soup['conv.bias'].dtype == torch.bfloat16
    torch.testing.assert_close(soup['conv.bias'], naive_b.to(torch.bfloat16))
    assert soup['bn.num_batches_tracked'].item() == 3
    # the members are left as they were
    assert not torch.equal(members[0]['conv.weight'], soup['conv.weight'])


def test_mismatched_members_are_refused_by_name():
    a, b = _member(0), _member(1)
    with pytest.raises(ValueError, match='at least two'):
        average_state_dicts([a])
    missing = dict(b)
    missing.pop('conv.bias')
    with pytest.raises(ValueError,
                       match=r"run_b.safetensors does not hold .*missing \['conv.bias'\]"):
        average_state_dicts([a, missing], names=['run_a.safetensors', 'run_b.safetensors'])
    wider = dict(b, **{'conv.weight': torch.zeros(8, 3, 3, 3)})
    with pytest.raises(ValueError, match=r'run_b.safetensors: conv.weight is \(8, 3, 3, 3\)'):
        average_state_dicts([a, wider], names=['run_a.safetensors', 'run_b.safetensors'])
    with pytest.raises(ValueError, match='bn.num_batches_tracked .*differs'):
        average_state_dicts([a, _member(1, counter=4)])


def test_files_are_averaged_with_their_provenance(tmp_path):
    paths = []
    for seed, iteration in ((0, 844), (1, 831)):
        path = str(tmp_path / f'r{seed}' / f'ema_{iteration}.safetensors')
        (tmp_path / f'r{seed}').mkdir()
        save_file(_member(seed), path, metadata={'seed': str(seed), 'sequences': '60'})
        paths.append(path)
    out = average_weights(paths, str(tmp_path / 'soup' / 'ema_844.safetensors'))
    soup = load_file(out)
    expected = (load_file(paths[0])['conv.weight'] + load_file(paths[1])['conv.weight']) / 2
    torch.testing.assert_close(soup['conv.weight'], expected, rtol=0, atol=1e-6)
    with safe_open(out, 'pt') as f:
        meta = f.metadata()
    assert meta == {'seed': '0 / 1', 'sequences': '60', 'soup_of': ' '.join(paths)}
    with pytest.raises(ValueError, match='is one of the members'):
        average_weights(paths, paths[0])
    with pytest.raises(FileNotFoundError, match='absent.safetensors'):
        average_weights([paths[0], str(tmp_path / 'absent.safetensors')], out)
    with pytest.raises(ValueError, match='iter_1.pth: weight averaging reads .safetensors'):
        average_weights([paths[0], str(tmp_path / 'iter_1.pth')], out)


def test_exported_members_keep_a_config_that_rebuilds_the_network(tmp_path):
    """Exported weights carry their config text; a soup of two runs with different
    experiment names must still hold one config that parses, not two joined."""
    from mmengine.config import Config

    from fst_plugin.engine import config_from_weights, save_weights
    paths = []
    for seed in (0, 1):
        cfg = Config(dict(experiment_name=f'run{seed}', model=dict(type='Demo', width=8)))
        path = str(tmp_path / f'run{seed}.safetensors')
        save_weights(_member(seed), path, config=cfg, iteration=seed)
        paths.append(path)
    out = average_weights(paths, str(tmp_path / 'soup.safetensors'))
    cfg = config_from_weights(out)
    assert cfg.experiment_name == 'run0' and cfg.model.width == 8
    with safe_open(out, 'pt') as f:
        meta = f.metadata()
    assert meta['experiment_name'] == 'run0 / run1' and meta['iteration'] == '0 / 1'


def test_weighted_mean_is_a_point_between_a_start_and_its_descendant(tmp_path):
    start, tuned = _member(0), _member(1)
    soup = average_state_dicts([start, tuned], weights=[0.75, 0.25])
    expected = 0.75 * start['conv.weight'].double() + 0.25 * tuned['conv.weight'].double()
    torch.testing.assert_close(soup['conv.weight'], expected.float(), rtol=0, atol=1e-6)
    # the uniform default and explicit equal weights agree
    torch.testing.assert_close(average_state_dicts([start, tuned], weights=[0.5, 0.5]),
                               average_state_dicts([start, tuned]), rtol=0, atol=0)
    with pytest.raises(ValueError, match='one value per member: 2 members, 3 weights'):
        average_state_dicts([start, tuned], weights=[0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match='non-negative and sum to 1'):
        average_state_dicts([start, tuned], weights=[0.5, 0.6])
    with pytest.raises(ValueError, match='non-negative and sum to 1'):
        average_state_dicts([start, tuned], weights=[1.5, -0.5])
    paths = []
    for seed in (0, 1):
        paths.append(str(tmp_path / f'r{seed}.safetensors'))
        save_file(_member(seed), paths[-1], metadata={'seed': str(seed)})
    out = average_weights(paths, str(tmp_path / 'wise.safetensors'), weights=[0.75, 0.25])
    with safe_open(out, 'pt') as f:
        assert f.metadata()['soup_weights'] == '0.75 0.25'
    torch.testing.assert_close(load_file(out)['conv.weight'], expected.float(), rtol=0,
                               atol=1e-6)
