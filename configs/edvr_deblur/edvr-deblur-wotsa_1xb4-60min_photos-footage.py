# Equal-time comparison (docs/baselines.md): EDVR-deblur at its paper's size (128 channels,
# 8 deformable groups, 5 front / 40 back blocks, predeblur, full-resolution input; 22.4M
# parameters) without TSA (TSA trained from scratch stays at the identity; EDVR's own recipe
# first trains without it), from scratch for 60 minutes on the photos + footage data, L1.
#   python tools/train.py configs/edvr_deblur/edvr-deblur-wotsa_1xb4-60min_photos-footage.py
_base_ = ['../_base_/datasets/photos_footage.py', '../_base_/schedules/equal_time_60_minutes.py']

experiment_name = 'edvr-deblur-wotsa_1xb4-60min_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    type='VideoDeblurrer',
    generator=dict(type='EDVRDeblurNet', mid_channels=128, num_frames=5, deform_groups=8,
                   num_blocks_extraction=5, num_blocks_reconstruction=40, with_tsa=False),
    pixel_loss=dict(type='L1Loss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
max_iters = 150  # what 60 minutes fit at this model's speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
