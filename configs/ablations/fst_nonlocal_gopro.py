# Ablation: the same FSTNet with a spatio-temporal non-local block (Wang et al. 2018) as the
# fusion. Its (H*W) x (T*H*W) attention needs ~T*(HW)^2*4 bytes per scale: at 256x256 patches
# that is 86 GB at the finest scale, so this ablation trains on 64x64 patches.
_base_ = ['../fst_gopro.py']

experiment_name = 'fst_nonlocal_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='SpatioTemporalNonLocalFusion', _delete_=True)))
train_pipeline = [dict(step, gt_patch_size=64) if step.type == 'PairedRandomCrop' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
