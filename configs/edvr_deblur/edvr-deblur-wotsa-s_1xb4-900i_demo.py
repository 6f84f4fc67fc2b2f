# EDVR-deblur scaled down (32 channels, 4 deformable groups, 2/5 blocks; 0.93M parameters),
# without TSA, on FST's demo data and recipe (64x64 crops, batch 4, 900 iterations, MSE), so
# that tools/analysis_tools/compare.py compares the networks at an equal iteration budget.
# Without TSA because TSA trained from scratch stays at the identity (docs/baselines.md).
_base_ = [
    '../_base_/models/edvr.py', '../_base_/datasets/demo_gopro.py',
    '../_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'edvr-deblur-wotsa-s_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    generator=dict(mid_channels=32, deform_groups=4, num_blocks_extraction=2,
                   num_blocks_reconstruction=5, with_tsa=False),
    pixel_loss=dict(type='MSELoss', loss_weight=1.0, reduction='mean', _delete_=True),
)
custom_hooks = []  # no TSA, so no TSA-only warm-up
