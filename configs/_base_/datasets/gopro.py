# GOPRO_Large as distributed: {train,test}/<seq>/{blur,blur_gamma,sharp}/<frame>.png
# (download GOPRO_Large and unpack it to data/GOPRO_Large, or synthesize one with
#  `python tools/synthesize_gopro.py --out data/GOPRO_Large`).
data_root = 'data/GOPRO_Large'
blur_type = 'blur'  # or 'blur_gamma'
num_input_frames = 5
gt_patch_size = 256

train_pipeline = [
    dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
    dict(type='PairedRandomCrop', gt_patch_size=gt_patch_size),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    # the target is the centre of an odd-length clip, so reversing time keeps it
    dict(type='TemporalReverse', keys=['img'], reverse_ratio=0.5),
    dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
]
test_pipeline = [
    dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
    dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
]

dataset_type = 'VideoDeblurDataset'
train_dataloader = dict(
    num_workers=4,
    batch_size=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        preset='gopro',
        blur_type=blur_type,
        num_input_frames=num_input_frames,
        padding='replicate',
        pipeline=train_pipeline))
test_dataset = dict(
    type=dataset_type,
    data_root=data_root,
    split='test',
    preset='gopro',
    blur_type=blur_type,
    num_input_frames=num_input_frames,
    padding='replicate',
    test_mode=True,
    pipeline=test_pipeline)
# validation during training scores every 10th test frame; tools/test.py scores all
val_dataloader = dict(
    num_workers=2,
    batch_size=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(test_dataset, target_interval=10))
test_dataloader = dict(
    num_workers=2,
    batch_size=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=test_dataset)

# RGB, full frame, no border crop, mean over every frame; also scores the blurry input
val_evaluator = [dict(type='SequencePSNRSSIM')]
test_evaluator = [dict(type='SequencePSNRSSIM')]
