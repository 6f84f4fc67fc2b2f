# The recipe of the shipped weights' last training step, through tools/train.py: the footage
# config (L1, Adam 1e-4, warm-up + cosine, weight EMA, batch 4, 160 px crops, flips,
# transposition, time reversal, 1 in 7 samples a sharp-in/sharp-out pair) plus the two
# sampling ideas the retired plain PyTorch loop added for it:
# - 30 % of the crops cut at 160-267 px and shrunk to 160 px (PairedRandomShrunkCrop:
#   finer detail and shorter blur than the clips hold at their stored size);
# - 25 % of the samples still scenes averaged the GOPRO way (RandomStillScene: a noisy
#   still scene the network must leave alone).
# Neighbours further apart (the loop's --frame-strides) are VideoDeblurDataset's
# frame_interval: add a copy of the footage dataset with frame_interval=2.
#   python tools/dataset_converters/fetch_footage.py
#   python tools/dataset_converters/synthesize_footage.py --splits train --out data/footage_gopro
#   python tools/train.py configs/fst/fst-local-path_1xb4-850i_footage-stills-shrunk.py \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
# On a GPU the plain loop ran batch 16: --cfg-options train_dataloader.batch_size=16
_base_ = ['./fst-local-path_1xb4-850i_footage.py']

experiment_name = 'fst-local-path_1xb4-850i_footage-stills-shrunk'
work_dir = f'./work_dirs/{experiment_name}'
crop_size = 160

train_pipeline = []
for _step in _base_.train_pipeline:
    if _step.type == 'PairedRandomCrop':
        train_pipeline += [
            dict(type='PairedRandomShrunkCrop', gt_patch_size=crop_size, shrink_prob=0.3,
                 min_scale=0.6),
            dict(type='RandomStillScene', prob=0.25, noise_sigma=(0.3, 2.0),
                 windows=(2, 3, 4), smooth_prob=0.5),
        ]
    else:
        train_pipeline.append(_step)
_blurry, _sharp_pairs = _base_.train_dataloader.dataset.datasets
train_dataloader = dict(dataset=dict(datasets=[
    dict(_blurry, pipeline=train_pipeline),
    dict(_sharp_pairs, pipeline=train_pipeline)]))
