# Equal-time comparison (docs/baselines.md): the paper's FST (factorized spatio-temporal
# attention fusion, 1.75M parameters) trained from scratch for 60 minutes on the photos +
# footage data, with the L1 loss every model of the comparison uses.
#   python tools/train.py configs/fst/fst_1xb4-60min_photos-footage.py
_base_ = [
    '../_base_/models/fst.py', '../_base_/datasets/photos_footage.py',
    '../_base_/schedules/equal_time_60_minutes.py'
]

experiment_name = 'fst_1xb4-60min_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(pixel_loss=dict(type='L1Loss', loss_weight=1.0, reduction='mean', _delete_=True))
max_iters = 760  # what 60 minutes fit at this model's speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
