"""IndexSkippingIterBasedTrainLoop: --resume continues the data without loading skipped batches."""
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

import fst_plugin  # noqa: F401  (registers the loop)
from fst_plugin.engine import trusted_checkpoint_loading
from mmagic.registry import MODELS


@MODELS.register_module(force=True)
class _SkipToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, inputs, index=None, mode='tensor'):
        out = self.linear(inputs)
        return dict(loss=out.pow(2).mean()) if mode == 'loss' else out


class _CountingDataset(Dataset):
    """Records the index of every sample it loads (the Runner uses this object, not a copy)."""

    def __init__(self, size=10):
        self.size, self.loaded = size, []

    def __deepcopy__(self, memo):
        return self

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        self.loaded.append(index)
        return dict(inputs=torch.full((1, ), float(index)), index=index)


def _runner(work_dir, dataset, max_iters, resume=False, sampler='InfiniteSampler',
            loop='IndexSkippingIterBasedTrainLoop'):
    return Runner(
        model=dict(type='_SkipToyModel'),
        work_dir=str(work_dir),
        train_dataloader=dict(dataset=dataset, batch_size=3, num_workers=0,
                              sampler=dict(type=sampler, shuffle=True, seed=7),
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(type=loop, max_iters=max_iters),
        default_hooks=dict(checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False,
                                           interval=4),
                           logger=dict(type='LoggerHook', interval=1)),
        resume=resume, default_scope='mmagic', log_level='WARNING',
        randomness=dict(seed=7))


def test_resume_loads_only_the_batches_it_trains_on_in_the_same_order(tmp_path):
    # one run of 8 iterations (24 samples, over two passes of the 10-sample dataset)
    whole = _CountingDataset()
    _runner(tmp_path / 'whole', whole, max_iters=8).train()
    assert len(whole.loaded) == 24

    # the same run stopped at 4 and resumed: the resumed process loads iterations 5-8 only
    first = _CountingDataset()
    _runner(tmp_path / 'split', first, max_iters=4).train()
    assert first.loaded == whole.loaded[:12]
    second = _CountingDataset()
    resumed = _runner(tmp_path / 'split', second, max_iters=8, resume=True)
    with trusted_checkpoint_loading(True):
        resumed.train()
    assert resumed.iter == 8
    assert second.loaded == whole.loaded[12:]


def _resumed_loads(work_dir, loop='IndexSkippingIterBasedTrainLoop', sampler='InfiniteSampler'):
    """Indices loaded by a run resumed at iteration 4 of 8."""
    _runner(work_dir, _CountingDataset(), max_iters=4, loop=loop, sampler=sampler).train()
    again = _CountingDataset()
    resumed = _runner(work_dir, again, max_iters=8, resume=True, loop=loop, sampler=sampler)
    with trusted_checkpoint_loading(True):
        resumed.train()
    assert resumed.iter == 8
    return again.loaded


def test_mmengine_loop_loads_the_skipped_batches_which_this_loop_avoids(tmp_path):
    # the behaviour replaced: MMEngine's own loop loads the 12 skipped samples again
    assert len(_resumed_loads(tmp_path / 'mmengine', loop='IterBasedTrainLoop')) == 24
    assert len(_resumed_loads(tmp_path / 'skipping')) == 12


def test_other_samplers_skip_by_loading_as_mmengine_does(tmp_path):
    ours = _resumed_loads(tmp_path / 'skipping', sampler='DefaultSampler')
    mmengine = _resumed_loads(tmp_path / 'mmengine', loop='IterBasedTrainLoop',
                              sampler='DefaultSampler')
    assert len(ours) > 12 and ours == mmengine
