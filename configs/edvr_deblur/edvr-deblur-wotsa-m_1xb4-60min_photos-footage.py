# Equal-time comparison (docs/baselines.md): EDVR-deblur without TSA at a width whose cost per
# output frame matches FST's (64 channels, 8 deformable groups, 5 front / 10 back blocks;
# 3.74M parameters, 46 GMACs per frame at 256x256 against FST's 43 and the shipped network's
# 53), from scratch for 60 minutes on the photos + footage data, L1.
#   python tools/train.py configs/edvr_deblur/edvr-deblur-wotsa-m_1xb4-60min_photos-footage.py
_base_ = ['./edvr-deblur-wotsa_1xb4-60min_photos-footage.py']

experiment_name = 'edvr-deblur-wotsa-m_1xb4-60min_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(mid_channels=64, deform_groups=8, num_blocks_extraction=5,
                            num_blocks_reconstruction=10))
max_iters = 320  # what 60 minutes fit at this model's speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
