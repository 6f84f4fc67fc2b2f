# Equal-time comparison (docs/baselines.md): the shipped network (FST with a local path in
# every fusion, 2.52M parameters) trained from scratch for 60 minutes on the photos + footage
# data, beside EDVR-deblur, STFAN and the single-frame control on the same data and budget.
#   python tools/train.py configs/fst/fst-local-path_1xb4-60min_photos-footage.py
#   (after an interruption: the same command with --resume; the budget counts across runs)
_base_ = [
    '../_base_/models/fst_local_path.py', '../_base_/datasets/photos_footage.py',
    '../_base_/schedules/equal_time_60_minutes.py'
]

experiment_name = 'fst-local-path_1xb4-60min_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

max_iters = 620  # what 60 minutes fit at this model's speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
