# Stage 3 of the shipped FST model: a warm restart of configs/fst_footage_stage2.py (same data:
# the footage set plus nearly sharp sequences) from its last weights. Stage 2's held-out curve
# was still rising when its cosine schedule reached zero (+0.06 dB per 200 iterations at
# iterations 1,000-1,400), so the learning rate goes back up to its peak and anneals again.
# CPU budget: 2,400 iterations at ~1.35 s = ~0.9 wall hours (2 cores); --resume continues it.
_base_ = ['./fst_footage_stage2.py']

experiment_name = 'fst_footage_stage3'
work_dir = f'./work_dirs/{experiment_name}'
# stage 2's last weights, model only (written by tools/train.py at the end of stage 2)
load_from = './work_dirs/fst_footage_stage2/iter_1600.safetensors'
total_iters = 2400

train_cfg = dict(max_iters=total_iters, val_interval=total_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=total_iters,
         T_max=total_iters - 50, eta_min=1e-6),
]
