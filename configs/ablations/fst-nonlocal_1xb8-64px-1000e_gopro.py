# Fusion ablation: FSTNet with a spatio-temporal non-local block (Wang et al. 2018) on GOPRO.
# Its (H*W) x (T*H*W) attention is quadratic in memory, so it trains on 64x64 crops.
_base_ = ['../fst/fst_1xb8-1000e_gopro.py']

experiment_name = 'fst-nonlocal_1xb8-64px-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='SpatioTemporalNonLocalFusion', _delete_=True)))
train_pipeline = [dict(step, gt_patch_size=64) if step.type == 'PairedRandomCrop' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
