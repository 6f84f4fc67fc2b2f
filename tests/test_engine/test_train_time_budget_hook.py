"""TrainTimeBudgetHook in MMEngine's Runner: stops on time, checkpoints the stop, resumes the clock."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner

import fst_plugin  # noqa: F401  (registers the hook)
from fst_plugin.engine import trusted_checkpoint_loading
from fst_plugin.engine.hooks import train_time_budget_hook
from mmagic.registry import HOOKS, MODELS


@MODELS.register_module(force=True)
class _BudgetToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, inputs, mode='tensor'):
        out = self.linear(inputs)
        return dict(loss=out.pow(2).mean()) if mode == 'loss' else out


class _FakeClock:
    """Every training iteration takes ``step`` seconds."""

    def __init__(self, step):
        self.now, self.step = 0.0, step

    def perf_counter(self):
        self.now += self.step
        return self.now


def _runner(work_dir, minutes, max_iters=20, resume=False, checkpoint_interval=100):
    return Runner(
        model=dict(type='_BudgetToyModel'),
        work_dir=str(work_dir),
        train_dataloader=dict(dataset=[dict(inputs=torch.ones(2))] * 8, batch_size=2,
                              sampler=dict(type='InfiniteSampler', shuffle=False),
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters),
        default_hooks=dict(checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False,
                                           interval=checkpoint_interval),
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[dict(type='TrainTimeBudgetHook', minutes=minutes)],
        resume=resume, default_scope='mmagic', log_level='WARNING')


def _budget_hook(runner):
    return next(h for h in runner.hooks if type(h).__name__ == 'TrainTimeBudgetHook')


def test_run_stops_when_the_budget_is_spent_and_resume_keeps_the_clock(tmp_path, monkeypatch):
    # 10 s per iteration against a 30 s budget: three iterations, then a checkpoint
    monkeypatch.setattr(train_time_budget_hook, 'time', _FakeClock(10.0))
    runner = _runner(tmp_path, minutes=0.5)
    runner.train()
    assert runner.iter == 3
    assert osp.isfile(tmp_path / 'iter_3.pth')
    with trusted_checkpoint_loading(True):
        saved = torch.load(tmp_path / 'iter_3.pth', weights_only=False)
    assert saved['meta']['train_time_seconds'] == pytest.approx(30.0)

    # the same run resumed with a one-minute budget has 30 s left: three more iterations
    monkeypatch.setattr(train_time_budget_hook, 'time', _FakeClock(10.0))
    resumed = _runner(tmp_path, minutes=1.0, resume=True)
    with trusted_checkpoint_loading(True):
        resumed.train()
    assert resumed.iter == 6
    assert _budget_hook(resumed).elapsed == pytest.approx(60.0)
    assert osp.isfile(tmp_path / 'iter_6.pth')


def test_checkpoint_hook_saving_the_stop_is_not_repeated(tmp_path, monkeypatch):
    monkeypatch.setattr(train_time_budget_hook, 'time', _FakeClock(10.0))
    saves = []
    runner = _runner(tmp_path, minutes=0.5, checkpoint_interval=3)
    original = runner.save_checkpoint

    def counting_save(*args, **kwargs):
        saves.append(kwargs.get('filename', args[1] if len(args) > 1 else None))
        return original(*args, **kwargs)

    runner.save_checkpoint = counting_save
    runner.train()
    assert runner.iter == 3
    assert saves == ['iter_3.pth']


def test_a_budget_longer_than_the_schedule_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(train_time_budget_hook, 'time', _FakeClock(1.0))
    runner = _runner(tmp_path, minutes=10, max_iters=5, checkpoint_interval=5)
    runner.train()
    assert runner.iter == 5
    assert _budget_hook(runner).elapsed == pytest.approx(5.0)


def test_validation_time_is_not_counted():
    clock = _FakeClock(0.0)
    hook = HOOKS.build(dict(type='TrainTimeBudgetHook', minutes=1))
    runner = SimpleNamespace(iter=0, max_iters=10)
    train_time_budget_hook.time, saved_time = clock, train_time_budget_hook.time
    try:
        clock.now = 100.0
        hook.before_train_iter(runner, 0)
        clock.now = 104.0
        hook.after_train_iter(runner, 0)
        hook.before_val_epoch(runner)
        clock.now = 150.0  # 46 s of validation
        hook.after_val_epoch(runner)
        runner.iter = 1
        hook.before_train_iter(runner, 1)
        clock.now = 153.0
        hook.after_train_iter(runner, 1)
    finally:
        train_time_budget_hook.time = saved_time
    assert hook.elapsed == pytest.approx(7.0)


@pytest.mark.parametrize('kwargs', [dict(minutes=0), dict(minutes=-1),
                                    dict(minutes=5, sync_interval=0)])
def test_bad_arguments_are_named(kwargs):
    with pytest.raises(ValueError, match='TrainTimeBudgetHook'):
        HOOKS.build(dict(type='TrainTimeBudgetHook', **kwargs))
