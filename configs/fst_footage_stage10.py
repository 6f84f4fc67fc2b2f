# Stage 10 of the FST footage model: the shipped stage-9 weights with twice its share of
# sharp-in/sharp-out pairs.
# Stage 9 (stage 7 + sharp pairs at ~7 %, 5e-5) kept the 224 px gain on camera blur
# (validation +0.28 dB) and brought sharp validation input back to 57.04 dB, but still costs
# frames that are nearly sharp. Here stage 8's share (every 5th frame: 144 identity samples
# beside 920 blurry ones, ~14 %) at a lower rate (3e-5) for 600 iterations asks whether more
# sharp pairs can finish that repair without giving back the camera-blur gain.
# Selection (fixed before training): the last checkpoint ships if its validation gain beats
# the shipped weights' (+0.28 dB) and sharp validation input comes back no worse (>= 57.04).
# CPU budget: 600 iterations at ~2.7 s = ~0.45 wall hours on 2 cores:
#   python tools/train.py configs/fst_footage_stage10.py [--resume]
# Outcome (0.53 wall hours): validation +0.291 dB (stage 9: +0.276), sharp validation input
# 58.64 dB (stage 9: 57.04), but held out +0.32 dB (stage 9: +0.49), worse on all five
# sequences (nearly sharp -1.17 against -0.69). Not shipped; see README, Model zoo.
_base_ = ['./fst_footage_stage9.py']

experiment_name = 'fst_footage_stage10'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './work_dirs/fst_footage_stage9/iter_1000.safetensors'
total_iters = 600

_blurry = _base_.train_dataloader.dataset.datasets[:-1]
_identity = dict(_blurry[0], blur_dir='sharp', target_interval=5)
train_dataloader = dict(dataset=dict(datasets=_blurry + [_identity]))

optim_wrapper = dict(optimizer=dict(lr=3e-5))
train_cfg = dict(max_iters=total_iters, val_interval=total_iters + 1)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=total_iters,
         T_max=total_iters - 50, eta_min=1e-6),
]
