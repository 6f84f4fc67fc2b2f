# EDVR-deblur on the demo data with FST's demo recipe (configs/fst_demo.py): same data,
# 64x64 patches, batch 4, 900 iterations, MSE, Adam 1e-3 with cosine decay, so that
# tools/compare.py compares the networks at an equal iteration budget.
# The network is scaled down like FST's demo network (32 channels, 4 deformable groups,
# 2 front / 5 back blocks: 0.93M parameters; 1.0 s per CPU iteration because the
# deformable convolution is slow on CPU) and the TSA-only warm-up is scaled from
# 5,000 of 263,000 iterations to 50 of 900.
_base_ = ['./edvr_gopro.py']

experiment_name = 'edvr_demo'
work_dir = f'./work_dirs/{experiment_name}'
data_root = 'data/demo_gopro'
demo_iters = 900

model = dict(
    generator=dict(mid_channels=32, deform_groups=4, num_blocks_extraction=2,
                   num_blocks_reconstruction=5),
    pixel_loss=dict(type='MSELoss', loss_weight=1.0, reduction='mean', _delete_=True),
)
custom_hooks = [dict(type='FusionWarmupHook', warmup_iters=50)]

train_dataloader = dict(
    num_workers=2,
    batch_size=4,
    dataset=dict(
        data_root=data_root,
        pipeline=[
            dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
            dict(type='PairedRandomCrop', gt_patch_size=64),
            dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
            dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
            dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
            dict(type='TemporalReverse', keys=['img'], reverse_ratio=0.5),
            dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
        ]))
# the validation at the end scores every 4th test frame as a report; it selects nothing: no
# "best" checkpoint is kept and the last one is what the demo tests and compares
val_dataloader = dict(
    num_workers=0,
    dataset=dict(data_root=data_root, split='test', sequences=None, target_interval=4))
test_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))

train_cfg = dict(max_iters=demo_iters, val_interval=demo_iters)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=demo_iters, eta_min=1e-5,
                       _delete_=True)
default_hooks = dict(
    checkpoint=dict(interval=100, max_keep_ckpts=2, save_best=None),
    logger=dict(interval=20))
log_processor = dict(window_size=20)
