# The shipped network fine-tuned on sharp photographs blurred by a simulated hand-held camera
# (made per sample: dense sub-frames in linear light, moving layers, highlights, sensor noise,
# JPEG; some clips still or sharp) beside the real-footage sequences of the footage recipe and
# its sharp-in/sharp-out pairs, so every blur mode stays in the mix. Only the photo sources
# marked 'train' are read (the held-out ones belong to the test suite).
#   python tools/dataset_converters/fetch_photos.py
#   python tools/dataset_converters/fetch_footage.py
#   python tools/dataset_converters/synthesize_footage.py --splits train --out data/footage_gopro
#   # run A's start: the weights shipped until 2026-12-07, kept in git history
#   git show d12f577:fst_plugin/model_zoo/fst_footage.safetensors > work_dirs/pilot12.safetensors
#   python tools/train.py configs/fst/fst-local-path_1xb4-300i_photos-footage.py \
#       --cfg-options load_from=work_dirs/pilot12.safetensors
_base_ = ['./fst-local-path_1xb4-850i_footage.py']

experiment_name = 'fst-local-path_1xb4-300i_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 300
warmup_iters = 20
crop_size = 160

_footage = _base_.train_dataloader.dataset.datasets
_photos = dict(type='CameraShakePhotoDataset', photo_index='data/photos/photos.json',
               role='train', num_input_frames=5, crop_size=crop_size, length=900,
               pipeline=[step for step in _base_.train_pipeline
                         if step.type not in ('LoadImageFromFile', 'PairedRandomCrop')])
train_dataloader = dict(
    dataset=dict(
        ignore_keys=['sequence_frames', 'blur_dir', 'data_root', 'split', 'dataset_type',
                     'task_name'],
        datasets=[_photos] + _footage))

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
