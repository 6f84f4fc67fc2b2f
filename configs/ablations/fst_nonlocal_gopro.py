# Ablation: the same FSTNet with a spatio-temporal non-local block (Wang et al. 2018) as the
# fusion. Its (H*W) x (T*H*W) attention needs ~T*(HW)^2*4 bytes per scale: at 256x256 patches
# that is 86 GB at the finest scale, so this ablation trains on 64x64 patches.
_base_ = ['../fst_gopro.py']

experiment_name = 'fst_nonlocal_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='SpatioTemporalNonLocalFusion', _delete_=True)))
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
    dict(type='PairedRandomCrop', gt_patch_size=64),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    dict(type='TemporalReverse', keys=['img'], reverse_ratio=0.5),
    dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
]))
