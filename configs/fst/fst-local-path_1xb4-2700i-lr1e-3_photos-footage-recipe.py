# Run F of the photo-source step (docs/research_log/07_photo_sources.md): the shipped weights
# trained on at Adam 1e-3, the rate at which the network trained from scratch for 4 hours
# learned camera shake on unseen photographs 2-4x better than the fine-tunes at 1e-4-3e-4
# (docs/baselines.md), on run D's data mix: two thirds of the samples from the footage read
# through the shipped recipe (shrunk crops, still scenes, sharp pairs), one third camera-shake
# clips of the training photographs (30 % still, 10 % sharp). 50-iteration warm-up, cosine
# decay; weight EMA momentum 0.01. On a CPU with AMX, tools/train.py's default --amp auto
# trains in bf16 (2x fp32); max_iters fits 65 minutes there (1.42 s/it), and --time-budget stops it
# earlier on a slower machine with a checkpoint that --resume continues.
#   python tools/train.py configs/fst/fst-local-path_1xb4-2700i-lr1e-3_photos-footage-recipe.py --time-budget 70 \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
#   (after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-800i_photos-footage-recipe.py']

experiment_name = 'fst-local-path_1xb4-2700i-lr1e-3_photos-footage-recipe'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 2700
warmup_iters = 50

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
# gradient-norm clipping: without it the first start diverged at iteration 1,060 (L1 0.02 ->
# 86 -> 2.8e7 within 100 iterations; docs/research_log/07_photo_sources.md, run F)
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=0.2))
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
default_hooks = dict(checkpoint=dict(interval=100, max_keep_ckpts=30))
