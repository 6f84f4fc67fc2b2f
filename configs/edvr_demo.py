# EDVR-deblur on the demo data with FST's demo recipe (configs/fst_demo.py): same data,
# 64x64 patches, batch 4, 900 iterations, MSE, Adam 1e-3 with cosine decay, so that
# tools/compare.py compares the networks at an equal iteration budget.
# The network is scaled down like FST's demo network (32 channels, 4 deformable groups,
# 2 front / 5 back blocks: 0.93M parameters; 1.0 s per CPU iteration because the
# deformable convolution is slow on CPU) and the TSA-only warm-up is scaled from
# 5,000 of 263,000 iterations to 50 of 900.
_base_ = [
    './_base_/models/edvr.py', './_base_/datasets/demo_gopro.py',
    './_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'edvr_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    generator=dict(mid_channels=32, deform_groups=4, num_blocks_extraction=2,
                   num_blocks_reconstruction=5),
    pixel_loss=dict(type='MSELoss', loss_weight=1.0, reduction='mean', _delete_=True),
)
custom_hooks = [dict(type='FusionWarmupHook', warmup_iters=50)]
