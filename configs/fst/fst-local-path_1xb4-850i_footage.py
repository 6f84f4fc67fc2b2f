# The shipped network (FST with a local path in every fusion) trained on real footage, in the
# Runner: L1, Adam 1e-4 with a 20-iteration warm-up and cosine decay, batch 4, 160 px crops,
# flips/transposition/time reversal, a weight EMA, and 1 in 7 samples a sharp-in/sharp-out pair
# (so frames that need no fixing come back unchanged). Data from training clips only:
#   python tools/dataset_converters/fetch_footage.py
#   python tools/dataset_converters/synthesize_footage.py --out data/footage_gopro
#   python tools/train.py configs/fst/fst-local-path_1xb4-850i_footage.py \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
# It tests on the held-out cup.mp4 split that synthesize_footage.py writes to data/footage_gopro.
_base_ = [
    '../_base_/models/fst_local_path.py', '../_base_/datasets/gopro.py',
    '../_base_/default_runtime.py'
]

experiment_name = 'fst-local-path_1xb4-850i_footage'
work_dir = f'./work_dirs/{experiment_name}'
data_root = 'data/footage_gopro'
max_iters = 850
warmup_iters = 20

train_pipeline = [dict(step, gt_patch_size=160) if step.type == 'PairedRandomCrop' else step
                  for step in _base_.train_pipeline]
_blurry = dict(type='VideoDeblurDataset', data_root=data_root, split='train', preset='gopro',
               blur_type='blur', num_input_frames=5, padding='replicate',
               pipeline=train_pipeline)
train_dataloader = dict(
    num_workers=1,
    batch_size=4,
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # the per-folder listing each VideoDeblurDataset adds to its metainfo differs
        ignore_keys=['sequence_frames', 'blur_dir', 'data_root', 'split'],
        datasets=[_blurry, dict(_blurry, blur_dir='sharp', target_interval=6)]))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))

train_cfg = dict(type='IndexSkippingIterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters + 1)
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
auto_scale_lr = dict(enable=False, base_batch_size=4)
custom_hooks = [dict(type='EMAHook', ema_type='ExponentialMovingAverage', momentum=0.002,
                     update_buffers=True)]
default_hooks = dict(
    checkpoint=dict(interval=100, max_keep_ckpts=3, save_best=None),
    logger=dict(interval=25))
log_processor = dict(window_size=25)
