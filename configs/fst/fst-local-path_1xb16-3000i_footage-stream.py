# The plain loop's GPU recipe through tools/train.py: footage sequences synthesized by the
# data-loader workers while the network trains (SynthesizedFootageDataset: new sequences
# from the training clips and procedural scenes all run long, 7 % sharp-in/sharp-out), batch
# 16 at 224 px, 30 % of the crops cut larger and shrunk, 25 % still scenes, L1, Adam 1e-4
# with a 100-iteration warm-up and cosine decay, weight EMA (momentum 0.002). Sized for one
# GPU with 8 or more CPU cores for the workers; on a CPU the pre-synthesized
# fst-local-path_1xb4-850i_footage-stills-shrunk.py is the cheaper way to the same samples.
#   python tools/dataset_converters/fetch_footage.py
#   python tools/train.py configs/fst/fst-local-path_1xb16-3000i_footage-stream.py --amp \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
_base_ = ['./fst-local-path_1xb4-850i_footage-stills-shrunk.py']

experiment_name = 'fst-local-path_1xb16-3000i_footage-stream'
work_dir = f'./work_dirs/{experiment_name}'
max_iters = 3000
warmup_iters = 100
crop_size = 224

train_pipeline = [dict(step, gt_patch_size=crop_size) if step.type == 'PairedRandomShrunkCrop'
                  else step for step in _base_.train_pipeline
                  if step.type != 'LoadImageFromFile']
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    dataset=dict(
        _delete_=True,
        type='SynthesizedFootageDataset',
        footage='data/footage',
        num_input_frames=5,
        length=16 * max_iters,
        samples_per_sequence=32,
        pool_size=8,
        recipe=dict(size=(320, 240), frames_per_seq=20),
        sharp_prob=0.07,
        pipeline=train_pipeline))

train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
default_hooks = dict(checkpoint=dict(interval=250, max_keep_ckpts=2))
