# Run C of the photo-source step: run B's weights trained on, with the footage back at half
# of the samples, so the real-footage look that run B traded away can come back while the
# photographs keep their share. Photo clips: 30 % still (one blurred exposure repeated, so
# the network must deblur from image content), 10 % sharp. Adam 3e-4 with a 30-iteration
# warm-up and cosine decay; the weight EMA spans about 100 iterations (momentum 0.01).
#   python tools/train.py configs/fst/fst-local-path_1xb4-800i_photos-footage-half.py \
#       --cfg-options load_from=work_dirs/fst-local-path_1xb4-750i_photos-footage/iter_750.safetensors
#   (after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-750i_photos-footage.py']

experiment_name = 'fst-local-path_1xb4-800i_photos-footage-half'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 800
warmup_iters = 30

_photo_clips, _footage_clips, _sharp_pairs = _base_.train_dataloader.dataset.datasets
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(_photo_clips, length=900, shake=dict(still_prob=0.30, sharp_prob=0.10)),
        _footage_clips, _sharp_pairs]))

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
