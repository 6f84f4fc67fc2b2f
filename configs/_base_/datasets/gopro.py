# GOPRO_Large as distributed: {train,test}/<seq>/{blur,blur_gamma,sharp}/<frame>.png
# (download GOPRO_Large and unpack it to data/GOPRO_Large, or synthesize one with
#  `python tools/dataset_converters/synthesize_gopro.py --out data/GOPRO_Large`).
data_root = 'data/GOPRO_Large'
# Model selection never sees the test split: these two of the 22 GOPRO_Large training
# sequences (200 of its 2103 frames) are held out of training and form the validation set
# that picks the "best" checkpoint. Both are recordings with no other clip in GOPRO_Large, so
# no training or test sequence shows the same scene. On other data (e.g. a tree synthesized
# by tools/dataset_converters/synthesize_gopro.py) name your own: --cfg-options
#   "val_dataloader.dataset.sequences=['<seq>']"
#   "train_dataloader.dataset.exclude_sequences=['<seq>']"
val_sequences = ['GOPR0379_11_00', 'GOPR0857_11_00']
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
# the same training pipeline reading a frame store (tools/dataset_converters/build_frame_store.py): crops come
# from memory-mapped uint8 arrays at the positions PairedRandomCrop would draw, no decoding
store_train_pipeline = [dict(type='LoadFramesFromStore', gt_patch_size=gt_patch_size)
                        ] + train_pipeline[3:]
test_pipeline = [
    dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
    dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
]

dataset_type = 'VideoDeblurDataset'
# what every split reads: T-frame windows of the GOPRO layout, edges padded by replication
clip_dataset = dict(
    type=dataset_type,
    data_root=data_root,
    preset='gopro',
    blur_type=blur_type,
    num_input_frames=num_input_frames,
    padding='replicate')
train_dataloader = dict(
    num_workers=4,
    batch_size=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(clip_dataset, split='train', exclude_sequences=val_sequences,
                 pipeline=train_pipeline))
test_dataset = dict(clip_dataset, split='test', test_mode=True, pipeline=test_pipeline)
# one clip at a time, in order
eval_loader = dict(
    num_workers=2,
    batch_size=1,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False))
# validation during training scores every 5th frame of the held-out training sequences
# (40 frames); tools/test.py scores every test frame
val_dataloader = dict(
    eval_loader,
    dataset=dict(test_dataset, split='train', sequences=val_sequences, target_interval=5))
test_dataloader = dict(eval_loader, dataset=test_dataset)

# protocol 'full': RGB, float output, full frame, mean over every frame; also scores the
# blurry input. tools/test.py --protocol full cdvd_tsp adds the published tables' protocol.
val_evaluator = [dict(type='SequencePSNRSSIM')]
test_evaluator = [dict(type='SequencePSNRSSIM')]
