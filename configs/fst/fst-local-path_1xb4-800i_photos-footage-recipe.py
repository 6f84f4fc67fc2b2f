# Run D of the photo-source step: run C's weights trained on with the footage at two thirds
# of the samples and read through the shipped weights' own recipe (30 % of the crops cut
# larger and shrunk, 25 % still scenes averaged the GOPRO way, 1 in 7 sharp pairs), beside
# one third camera-shake clips of the training photographs (30 % still, 10 % sharp). Adam
# 3e-4 with a 30-iteration warm-up and cosine decay; weight EMA momentum 0.01.
#   python tools/train.py configs/fst/fst-local-path_1xb4-800i_photos-footage-recipe.py --cfg-options \
#       load_from=work_dirs/fst-local-path_1xb4-800i_photos-footage-half/iter_800.safetensors
#   (after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-800i_photos-footage-half.py']

experiment_name = 'fst-local-path_1xb4-800i_photos-footage-recipe'
work_dir = f'./work_dirs/{experiment_name}'

recipe_pipeline = []
for _step in _base_.train_pipeline:
    if _step.type == 'PairedRandomCrop':
        recipe_pipeline += [
            dict(type='PairedRandomShrunkCrop', gt_patch_size=_step.gt_patch_size,
                 shrink_prob=0.3, min_scale=0.6),
            dict(type='RandomStillScene', prob=0.25, noise_sigma=(0.3, 2.0),
                 windows=(2, 3, 4), smooth_prob=0.5),
        ]
    else:
        recipe_pipeline.append(_step)
_photo_clips, _footage_clips, _sharp_pairs = _base_.train_dataloader.dataset.datasets
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(_photo_clips, length=432),
        dict(_footage_clips, pipeline=recipe_pipeline),
        dict(_sharp_pairs, pipeline=recipe_pipeline)]))
