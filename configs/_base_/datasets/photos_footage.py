# The training data of the generalization work (docs/research_log/07_photo_sources.md, run D):
# one third camera-shake clips made per sample from the training photographs
# (CameraShakePhotoDataset: dense sub-frames in linear light, moving layers, highlights,
# sensor noise, JPEG; 30 % still, 10 % sharp), two thirds real-footage sequences read through
# the shipped weights' recipe (30 % of the crops cut larger and shrunk, 25 % still scenes
# averaged the GOPRO way) and their sharp-in/sharp-out pairs (1 in 7). 5-frame clips with a
# centred target, 160 px crops, batch 4. Held-out photo sources and clips are never read.
#   python tools/dataset_converters/fetch_photos.py
#   python tools/dataset_converters/fetch_footage.py
#   python tools/dataset_converters/synthesize_footage.py --splits train --out data/footage_gopro
# Tests on the held-out cup.mp4 split of data/footage_gopro; the generalization suite
# (tools/analysis_tools/generalization_suite.py) scores every unseen source on its own.
_base_ = ['./gopro.py']

data_root = 'data/footage_gopro'
photo_index = 'data/photos/photos.json'
crop_size = 160

augmentation = [
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='horizontal'),
    dict(type='Flip', keys=['img', 'gt'], flip_ratio=0.5, direction='vertical'),
    dict(type='RandomTransposeHW', keys=['img', 'gt'], transpose_ratio=0.5),
    dict(type='TemporalReverse', keys=['img'], reverse_ratio=0.5),
    dict(type='PackInputs', meta_keys=['key', 'sequence', 'frame', 'vis_name']),
]
footage_pipeline = [
    dict(type='LoadImageFromFile', key='img', color_type='color', channel_order='rgb'),
    dict(type='LoadImageFromFile', key='gt', color_type='color', channel_order='rgb'),
    dict(type='PairedRandomShrunkCrop', gt_patch_size=crop_size, shrink_prob=0.3,
         min_scale=0.6),
    dict(type='RandomStillScene', prob=0.25, noise_sigma=(0.3, 2.0), windows=(2, 3, 4),
         smooth_prob=0.5),
] + augmentation
footage_clips = dict(type='VideoDeblurDataset', data_root=data_root, split='train',
                     preset='gopro', blur_type='blur', num_input_frames=5,
                     padding='replicate', pipeline=footage_pipeline)
photo_clips = dict(type='CameraShakePhotoDataset', photo_index=photo_index, role='train',
                   num_input_frames=5, crop_size=crop_size, length=432,
                   shake=dict(still_prob=0.30, sharp_prob=0.10), pipeline=augmentation)
train_dataloader = dict(
    num_workers=1,
    batch_size=4,
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # the metainfo each dataset adds differs
        ignore_keys=['sequence_frames', 'blur_dir', 'data_root', 'split', 'dataset_type',
                     'task_name'],
        datasets=[photo_clips, footage_clips,
                  dict(footage_clips, blur_dir='sharp', target_interval=6)]))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))
