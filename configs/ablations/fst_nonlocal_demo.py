# Fusion ablation at demo scale: configs/fst_demo.py with a spatio-temporal non-local block
# (Wang et al. 2018) in place of the factorized spatio-temporal attention; everything else
# equal (the 64x64 training crops are where its (H*W) x (T*H*W) attention fits). Testing
# attends over whole 256x256 frames, a 65,536 x 327,680 matrix at the finest scale (86 GB
# in float32), so the block runs PyTorch's fused attention kernel (memory_efficient=True:
# same values, memory linear, time still quadratic: ~40 s per 256x256 frame on 2 cores).
# README, "Fusion ablation".
_base_ = ['../fst_demo.py']

experiment_name = 'fst_nonlocal_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(
    fusion=dict(type='SpatioTemporalNonLocalFusion', memory_efficient=True, _delete_=True)))
