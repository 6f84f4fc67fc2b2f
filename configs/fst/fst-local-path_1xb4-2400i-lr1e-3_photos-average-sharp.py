# Run G of the photo-source step (docs/research_log/07_photo_sources.md): run F's last EMA
# weights trained on at Adam 1e-3 again, on run F's data mix with two changes: the
# camera-shake photo clips are sharp twice as often (20 % instead of 10 %), because the
# smoothing of nearly sharp footage is what bounded run F's choice; and a third of the photo
# clips are averaged in sRGB values instead of linear light, without highlight boost and
# mostly without noise, the plain frame-averaging blur on which the photo runs lost most. The
# photo clips keep 540 of the samples an epoch (run F: 432); the footage read through the
# shipped recipe (shrunk crops, still scenes, sharp pairs) is unchanged. 50-iteration warm-up,
# cosine decay, gradient-norm clipping 0.2, weight EMA momentum 0.01. On a CPU with AMX,
# tools/train.py's default --amp auto trains in bf16; 2,400 iterations take about 55 minutes
# there, and --time-budget stops earlier on a slower machine with a checkpoint that --resume
# continues.
#   python tools/train.py configs/fst/fst-local-path_1xb4-2400i-lr1e-3_photos-average-sharp.py \
#       --time-budget 65 --cfg-options load_from=work_dirs/run_f_eval/a1.safetensors
#   (run F's last EMA weights: work_dirs/fst-local-path_1xb4-2700i-lr1e-3_photos-footage-recipe/
#   iter_2700.safetensors; after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-2700i-lr1e-3_photos-footage-recipe.py']

experiment_name = 'fst-local-path_1xb4-2400i-lr1e-3_photos-average-sharp'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 2400
warmup_iters = 50

_photo_clips, _footage_clips, _sharp_pairs = _base_.train_dataloader.dataset.datasets
_camera = dict(_photo_clips, length=360, shake=dict(still_prob=0.30, sharp_prob=0.20))
_srgb_average = dict(_photo_clips, length=180, seed=1,
                     shake=dict(still_prob=0.30, sharp_prob=0.20, linear_light=False,
                                boost_prob=0.0, noise_prob=0.3))
train_dataloader = dict(dataset=dict(datasets=[_camera, _srgb_average, _footage_clips,
                                               _sharp_pairs]))

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
