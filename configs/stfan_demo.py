# STFAN on the demo data with FST's demo recipe (configs/fst_demo.py): same data,
# 64x64 patches, batch 4, 900 iterations, MSE, Adam 1e-3 with cosine decay, so that
# tools/compare.py compares the networks at an equal iteration budget. Each training
# sample is 5 consecutive frames, all 5 restored and scored (recurrent training).
# The network is scaled down like FST's demo network (channels 16/32/64: 1.35M
# parameters; 0.86 s per CPU iteration).
_base_ = ['./stfan_gopro.py']

experiment_name = 'stfan_demo'
work_dir = f'./work_dirs/{experiment_name}'
data_root = 'data/demo_gopro'
demo_iters = 900

model = dict(generator=dict(channels=(16, 32, 64)))

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
            dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=0.5),
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
