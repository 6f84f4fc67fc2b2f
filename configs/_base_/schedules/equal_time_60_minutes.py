# The schedule of the equal-time comparison: every model trains from scratch for 60 minutes of
# wall time on the same machine (TrainTimeBudgetHook), L1 loss (set by each config), Adam 2e-4
# with a 30-iteration warm-up and cosine decay to the iteration count that the model's
# measured speed fits in the budget (each config sets max_iters and repeats the two schedule
# lines), and a weight EMA spanning about 100 iterations, whose weights the checkpoints hold.
# For the equal-iteration comparison: --cfg-options custom_hooks.1.minutes=100000 and the same
# max_iters for every model. Builds on the runtime, whose hooks it sets.
_base_ = ['../default_runtime.py']

budget_minutes = 60
max_iters = 1000
warmup_iters = 30
train_cfg = dict(type='IndexSkippingIterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters + 1)
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-4, betas=(0.9, 0.999)))
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.01, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters,
         T_max=max_iters - warmup_iters, eta_min=1e-6),
]
auto_scale_lr = dict(enable=False, base_batch_size=4)
custom_hooks = [
    dict(type='EMAHook', ema_type='ExponentialMovingAverage', momentum=0.01,
         update_buffers=True),
    dict(type='TrainTimeBudgetHook', minutes=budget_minutes),
]
default_hooks = dict(
    checkpoint=dict(interval=50, max_keep_ckpts=2, save_best=None),
    logger=dict(interval=25))
log_processor = dict(window_size=25)
