# Equal-time comparison (docs/baselines.md): the two-layer single-frame control
# (SingleFrameControlNet, 3.5k parameters) on the photos + footage data for the same 60
# minutes: a video network's gain counts only where it beats this.
#   python tools/train.py configs/ablations/single-frame-control_1xb4-60min_photos-footage.py
_base_ = [
    '../_base_/models/single_frame_control.py', '../_base_/datasets/photos_footage.py',
    '../_base_/schedules/equal_time_60_minutes.py'
]

experiment_name = 'single-frame-control_1xb4-60min_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

max_iters = 6000  # what 60 minutes fit at this model's speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
