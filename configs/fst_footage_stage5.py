# Stage 5 of the shipped FST model: fine-tune stage 3's last weights with an L1 loss.
# Stage 3 (MSE) sharpened 16-24 px blur (+0.8 dB held out) but changed nearly sharp frames by
# ~2 levels RMS (-4.3 dB on that sequence). Stage 4 (configs/fst_footage_stage4.py, PSNRLoss:
# every crop weighted by 1/its MSE) removed that harm but also the deblurring: +0.00 to
# +0.05 dB on every held-out sequence, an identity. L1 sits between the two: the gradient of
# every pixel has the same size whatever its error, so small dense changes on sharp content
# cost as much per pixel as errors in blurred regions (L1 favours residuals that are exactly
# zero where nothing needs fixing), without the 1/MSE weight that made sharp crops dominate.
# Same data as stages 2-4. CPU budget: 1,000 iterations at ~1.4 s = ~0.4 wall hours.
_base_ = ['./fst_footage_stage3.py']

experiment_name = 'fst_footage_stage5'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './work_dirs/fst_footage_stage3/iter_2400.safetensors'
total_iters = 1000

model = dict(pixel_loss=[dict(type='L1Loss', loss_weight=1.0, reduction='mean')])
train_cfg = dict(max_iters=total_iters, val_interval=total_iters + 1)
optim_wrapper = dict(optimizer=dict(lr=2e-4))
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=total_iters,
         T_max=total_iters - 50, eta_min=1e-6),
]
