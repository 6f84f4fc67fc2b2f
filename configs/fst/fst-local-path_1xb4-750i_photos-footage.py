# Run B of the photo-source step: the shipped network fine-tuned longer and harder on the
# photographs and footage of run A's config. Two thirds of the samples are camera-shake clips
# made from the training photographs (a quarter of them still clips: one blurred exposure
# repeated, so the network must deblur from image content), the rest footage sequences and
# their sharp pairs; Adam 3e-4 with a 30-iteration warm-up and cosine decay; the weight EMA
# spans about 100 iterations (momentum 0.01) so the shipped candidate is the end of the run,
# not a blend with its start.
# It started from the weights shipped until 2026-12-07 (pilot 12's soup; git history keeps them):
#   git show d12f577:fst_plugin/model_zoo/fst_footage.safetensors > work_dirs/pilot12.safetensors
#   python tools/train.py configs/fst/fst-local-path_1xb4-750i_photos-footage.py \
#       --cfg-options load_from=work_dirs/pilot12.safetensors
#   (after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-300i_photos-footage.py']

experiment_name = 'fst-local-path_1xb4-750i_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 750
warmup_iters = 30

_photo_clips, _footage_clips, _sharp_pairs = _base_.train_dataloader.dataset.datasets
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(_photo_clips, length=1800, shake=dict(still_prob=0.25, sharp_prob=0.10)),
        _footage_clips, _sharp_pairs]))

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(optimizer=dict(lr=3e-4))
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
custom_hooks = [dict(type='EMAHook', ema_type='ExponentialMovingAverage', momentum=0.01,
                     update_buffers=True)]
default_hooks = dict(checkpoint=dict(interval=50, max_keep_ckpts=2))
