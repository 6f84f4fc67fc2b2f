# EDVR baseline in its deblurring configuration (EDVR-L deblur: 128 channels, 8 deformable
# groups, 5 front / 40 back blocks, predeblur module, full-resolution input; 23.6M
# parameters) on GOPRO, with the same data, patches, batch and length as fst_gopro.py.
# From EDVR/MMagic: Charbonnier loss, Adam 2e-4 with cosine restarts, and the first 5,000
# iterations train only the TSA fusion (MMagic's tsa_iter, here FusionWarmupHook).
_base_ = ['./_base_/default_runtime.py', './_base_/datasets/gopro.py']

experiment_name = 'edvr_gopro'
work_dir = f'./work_dirs/{experiment_name}'

iters_per_epoch = 263
max_iters = 1000 * iters_per_epoch
model = dict(
    type='VideoDeblurrer',
    generator=dict(
        type='EDVRDeblurNet',
        mid_channels=128,
        num_frames={{_base_.num_input_frames}},
        deform_groups=8,
        num_blocks_extraction=5,
        num_blocks_reconstruction=40,
        with_tsa=True),
    pixel_loss=dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))

custom_hooks = [dict(type='FusionWarmupHook', warmup_iters=5000)]
# the warm-up leaves the frozen parameters without gradients
find_unused_parameters = True

train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=20 * iters_per_epoch)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-4, betas=(0.9, 0.999)))
param_scheduler = dict(
    type='CosineRestartLR',
    by_epoch=False,
    periods=[max_iters // 5] * 5,
    restart_weights=[1, 0.5, 0.5, 0.5, 0.5],
    eta_min=1e-7)
auto_scale_lr = dict(enable=False, base_batch_size=8)

default_hooks = dict(
    checkpoint=dict(interval=20 * iters_per_epoch),
    logger=dict(interval=100))
