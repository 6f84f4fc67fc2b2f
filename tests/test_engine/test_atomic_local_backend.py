"""A process killed while writing a checkpoint leaves the previous one intact."""
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import textwrap

import pytest
import torch

from mmengine.fileio import LocalBackend, get_file_backend

from fst_plugin.engine import AtomicCheckpointHook, AtomicLocalBackend, atomic_write

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# replaces the chunk writer in a child process: write one chunk, then die by SIGKILL
KILLER = textwrap.dedent('''
    import os, signal
    import fst_plugin.engine.atomic_local_backend as backend

    _write = backend._write_chunks

    def write_then_die(f, data, target):
        kill, only = os.environ.get('KILL_WRITING'), os.environ.get('KILL_IF_DATA_HAS')
        if kill and kill in target and (not only or only.encode() in bytes(data)):
            f.write(memoryview(data)[:len(data) // 2])
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        _write(f, data, target)

    backend._write_chunks = write_then_die
''')


def test_only_paths_that_ask_use_the_atomic_backend(tmp_path):
    """Importing fst_plugin changes no backend: the atomic one is chosen by name."""
    path = str(tmp_path / 'x.pth')
    assert type(get_file_backend(path)) is LocalBackend
    assert isinstance(get_file_backend(path, backend_args=dict(backend='atomic_local')),
                      AtomicLocalBackend)
    hook = AtomicCheckpointHook(interval=1)
    assert hook.backend_args == dict(backend='atomic_local')
    assert AtomicCheckpointHook(interval=1, backend_args=dict(backend='local')).backend_args \
        == dict(backend='local')
    atomic_write(b'abc', tmp_path / 'sub' / 'f.bin')
    assert (tmp_path / 'sub' / 'f.bin').read_bytes() == b'abc'
    assert os.listdir(tmp_path / 'sub') == ['f.bin']  # no temporary file left


def test_sigkill_while_writing_keeps_previous_checkpoint_and_last_pointer(tmp_path):
    (tmp_path / 'killer.py').write_text(KILLER)
    script = textwrap.dedent(f'''
        import sys, torch
        sys.path.insert(0, {str(tmp_path)!r})
        import fst_plugin, killer
        from mmengine.fileio import LocalBackend, get_file_backend
        from mmengine.runner.checkpoint import save_checkpoint
        ckpt = {str(tmp_path / 'iter_2.pth')!r}
        atomic = dict(backend='atomic_local')
        backend = get_file_backend(ckpt, backend_args=atomic)
        save_checkpoint(dict(meta=dict(iter=2), w=torch.zeros(10)), ckpt, backend_args=atomic)
        backend.put_text(ckpt, {str(tmp_path / 'last_checkpoint')!r})
        import os; os.environ['KILL_WRITING'] = 'iter_2.pth'
        # a bigger checkpoint over the same name, killed half-way
        save_checkpoint(dict(meta=dict(iter=4), w=torch.ones(5_000_000)), ckpt,
                        backend_args=atomic)
    ''')
    proc = subprocess.run([sys.executable, '-c', script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore'))
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    ckpt = torch.load(tmp_path / 'iter_2.pth', weights_only=False)
    assert ckpt['meta']['iter'] == 2 and ckpt['w'].numel() == 10
    assert (tmp_path / 'last_checkpoint').read_text() == str(tmp_path / 'iter_2.pth')
    leftovers = [n for n in os.listdir(tmp_path) if n.endswith('.tmp')]
    assert len(leftovers) == 1 and leftovers[0].startswith('.iter_2.pth.')  # half-written


@pytest.mark.parametrize('killed_in', ['iter_4.pth', 'last_checkpoint'])
def test_training_killed_while_saving_resumes_from_previous_checkpoint(killed_in, tiny_gopro,
                                                                      tmp_path):
    """A real run dies by SIGKILL inside the save of iter_4.pth, or inside the update of
    last_checkpoint that follows it (MMEngine writes that file in place; the hook stages
    it); --resume continues at 2 either way."""
    (tmp_path / 'killer.py').write_text(KILLER)
    # loaded at interpreter start-up of the training process (and only with KILL_WRITING)
    (tmp_path / 'sitecustomize.py').write_text(
        "import os\nif os.environ.get('KILL_WRITING'):\n    import killer\n")
    work = str(tmp_path / 'work')
    opts = ['--cfg-options'] + [
        f'{k}.dataset.data_root={tiny_gopro}'
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')] + [
        'model.generator.mid_channels=[8,8,8]', 'model.generator.growth_channels=[4,4,4]',
        'model.generator.num_dense_layers=1', 'model.generator.num_decoder_blocks=[1,1,1]',
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.dataset.pipeline.2.gt_patch_size=32',
        'train_cfg.max_iters=6', 'train_cfg.val_interval=1000', 'param_scheduler.T_max=6',
        'default_hooks.checkpoint.interval=2', 'default_hooks.logger.interval=1']
    cmd = [sys.executable, 'tools/train.py', 'configs/fst_demo.py', '--work-dir', work]
    env = dict(os.environ, PYTHONPATH=f'{ROOT}:{tmp_path}', PYTHONWARNINGS='ignore',
               KILL_WRITING=killed_in, OMP_NUM_THREADS='1')
    if killed_in == 'last_checkpoint':  # the pointer's update to iter_4, not its first
        env['KILL_IF_DATA_HAS'] = 'iter_4.pth'
    killed = subprocess.run(cmd + opts, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, (killed.stdout + killed.stderr)[-3000:]
    assert osp.exists(osp.join(work, 'iter_4.pth')) == (killed_in == 'last_checkpoint')
    assert open(osp.join(work, 'last_checkpoint')).read().endswith('iter_2.pth')
    env.pop('KILL_WRITING')
    env.pop('KILL_IF_DATA_HAS', None)
    resumed = subprocess.run(cmd + opts + ['--resume'], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    out = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, out[-3000:]
    assert re.search(r'resumed epoch: \d+, iter: 2\b', out)
    assert torch.load(osp.join(work, 'iter_6.pth'), weights_only=False)['meta']['iter'] == 6
    assert open(osp.join(work, 'last_checkpoint')).read().endswith('iter_6.pth')
    # what the killed save left (staging folder, half-written pointer) went at the restart
    assert not [n for n in os.listdir(work) if n.startswith('.last_checkpoint.')]
