"""MMEngine checkpoints on torch >= 2.6: safe by default, full loading only when trusted."""
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from fst_plugin.engine import UnsafeCheckpointError, trusted_checkpoint_loading


def test_mmengine_checkpoint_with_message_hub_loads_only_when_trusted(tmp_path):
    hub = MessageHub.get_instance('compat_test')
    hub.update_scalar('train/loss', 0.5)
    hub.update_info('iter', 7)
    ckpt = dict(state_dict=dict(w=torch.ones(2)), message_hub=hub.state_dict(),
                meta=dict(iter=7, seed=torch.tensor(3).numpy()))
    path = str(tmp_path / 'iter_7.pth')
    save_checkpoint(ckpt, path)
    with pytest.raises(UnsafeCheckpointError, match='iter_7.pth'):
        _load_checkpoint(path, map_location='cpu')
    with trusted_checkpoint_loading():
        loaded = _load_checkpoint(path, map_location='cpu')
    assert loaded['meta']['iter'] == 7
    assert isinstance(loaded['message_hub']['log_scalars']['train/loss'], HistoryBuffer)
    torch.testing.assert_close(loaded['state_dict']['w'], torch.ones(2))
    # the trust ends with the block
    with pytest.raises(UnsafeCheckpointError):
        _load_checkpoint(path, map_location='cpu')


def test_weights_only_checkpoint_loads_without_trust(tmp_path):
    path = str(tmp_path / 'weights.pth')
    save_checkpoint(dict(state_dict=dict(w=torch.ones(2)), meta=dict(iter=3)), path)
    assert _load_checkpoint(path)['meta']['iter'] == 3


def test_torch_load_default_is_untouched(tmp_path):
    """torch.load keeps its safe default."""
    path = str(tmp_path / 'x.pth')
    torch.save(dict(buf=HistoryBuffer()), path)
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(path)


def test_unreadable_checkpoint_names_the_file(tmp_path):
    path = tmp_path / 'broken.pth'
    path.write_bytes(b'not a checkpoint')
    with pytest.raises(RuntimeError, match='broken.pth'):
        _load_checkpoint(str(path))


def test_numpy_2_gets_the_bool8_alias_mmagic_imports(monkeypatch):
    import numpy as np

    from fst_plugin import compat
    if 'bool8' in vars(np):
        monkeypatch.delattr(np, 'bool8')
    monkeypatch.setattr(np, '__version__', '2.4.6')
    try:
        compat.restore_numpy_aliases()
        assert vars(np)['bool8'] is np.bool_
        # mmagic's table keyed by it builds again
        assert {np.bool8: (False, True)}[np.bool_] == (False, True)
    finally:
        vars(np).pop('bool8', None)


def test_numpy_1_is_left_alone(monkeypatch):
    import numpy as np

    from fst_plugin import compat
    monkeypatch.setattr(np, '__version__', '1.26.4')
    before = dict(vars(np))
    compat.restore_numpy_aliases()
    assert 'bool8' not in set(vars(np)) - set(before)
