# Run H of the photo-source step (docs/research_log/07_photo_sources.md): run F's last EMA
# weights trained on at Adam 1e-3 again, on run F's data mix (the photo clips 432 samples an
# epoch, the footage through the shipped recipe two thirds) with two changes, both read off
# run G's validation: the camera-shake photo clips are sharp in 20 % of the samples (run G
# made nearly sharp footage less smoothed with it), and a third of the photo clips average
# 5-15 sub-frames in sRGB values, without highlight boost and mostly without noise: few
# sub-frames leave the separate copies of edges (ghosts) that averaging video frames leaves,
# which run G's dense sRGB averages did not teach. 50-iteration warm-up, cosine decay,
# gradient-norm clipping 0.2, weight EMA momentum 0.01; bf16 on a CPU with AMX (--amp auto).
#   python tools/train.py configs/fst/fst-local-path_1xb4-2400i-lr1e-3_photos-ghosts-sharp.py \
#       --time-budget 65 --cfg-options load_from=work_dirs/run_f_eval/a1.safetensors
#   (run F's last EMA weights: work_dirs/fst-local-path_1xb4-2700i-lr1e-3_photos-footage-recipe/
#   iter_2700.safetensors; after an interruption: the same command with --resume)
_base_ = ['./fst-local-path_1xb4-2400i-lr1e-3_photos-average-sharp.py']

experiment_name = 'fst-local-path_1xb4-2400i-lr1e-3_photos-ghosts-sharp'
work_dir = f'./work_dirs/{experiment_name}'

_camera, _srgb_average, _footage_clips, _sharp_pairs = _base_.train_dataloader.dataset.datasets
_ghosts = dict(_srgb_average, length=144, shake=dict(_srgb_average.shake, subframes=(5, 15)))
train_dataloader = dict(dataset=dict(datasets=[dict(_camera, length=288), _ghosts,
                                               _footage_clips, _sharp_pairs]))
