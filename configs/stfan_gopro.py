# STFAN baseline (Zhou et al., ICCV 2019; 5.37M parameters) on GOPRO. Recurrent: training
# clips are 5 consecutive frames with all 5 sharp frames as targets (the state is detached
# between frames, as in the original). Testing runs one recurrence over each whole test
# sequence, as the original and tools/deblur_video.py do, and scores every frame
# (dist_test shards whole sequences); validation is cheaper: the 5 frames ending at the
# target, last output scored (tools/test.py --recurrent-mode window tests that way too).
# Same patches, batch and length as fst_gopro.py. STFAN's loss is MSE + 0.01 x VGG19 perceptual; the
# perceptual term needs ImageNet VGG19 weights, which this config does not assume: add
#   dict(type='PerceptualLoss', layer_weights={'20': 1.0}, vgg_type='vgg19',
#        perceptual_weight=0.01, style_weight=0, criterion='mse', pretrained=...)
# to model.pixel_loss (see README: a missing weights file fails with a clear message).
_base_ = ['./_base_/default_runtime.py', './_base_/datasets/gopro.py']

experiment_name = 'stfan_gopro'
work_dir = f'./work_dirs/{experiment_name}'

iters_per_epoch = 263
num_input_frames = 5
model = dict(
    type='RecurrentVideoDeblurrer',
    generator=dict(type='STFANNet', channels=(32, 64, 128), filter_size=5),
    pixel_loss=[dict(type='MSELoss', loss_weight=1.0, reduction='mean')],
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))

train_dataloader = dict(
    dataset=dict(
        num_input_frames=num_input_frames,
        window='trailing',
        gt_frames='all',
        pipeline=[
            dict(type='LoadImageFromFile', key='img', color_type='color',
                 channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', color_type='color',
                 channel_order='rgb'),
            dict(type='PairedRandomCrop', gt_patch_size={{_base_.gt_patch_size}}),
            dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
            dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
            dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
            # reversing both lists keeps every blurry frame paired with its sharp frame
            dict(type='TemporalReverse', keys=['img', 'gt'], reverse_ratio=0.5),
            dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
        ]))
val_dataloader = dict(dataset=dict(num_input_frames=num_input_frames, window='trailing'))
test_dataloader = dict(dataset=dict(num_input_frames=num_input_frames, window='sequence'))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=1000 * iters_per_epoch,
                 val_interval=20 * iters_per_epoch)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

# STFAN: Adam 1e-4, halved at fixed steps
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = dict(
    type='StepLR', by_epoch=False, step_size=200 * iters_per_epoch, gamma=0.5)
auto_scale_lr = dict(enable=False, base_batch_size=8)

default_hooks = dict(
    checkpoint=dict(interval=20 * iters_per_epoch),
    logger=dict(interval=100))
