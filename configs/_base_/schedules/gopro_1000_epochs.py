# The paper's schedule on GOPRO_Large: batch 8, Adam 1e-4 halved every 200 epochs. GOPRO_Large
# train has 2103 frames -> 263 iterations per epoch at batch 8, so the rate halves every
# 52,600 iterations; 1000 epochs (263,000 iterations; the paper does not state its total),
# validation and a checkpoint every 20 epochs. Builds on the runtime, whose hooks it sets.
_base_ = ['../default_runtime.py']

iters_per_epoch = 263
max_iters = 1000 * iters_per_epoch
train_cfg = dict(type='IndexSkippingIterBasedTrainLoop', max_iters=max_iters,
                 val_interval=20 * iters_per_epoch)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = dict(
    type='StepLR', by_epoch=False, step_size=200 * iters_per_epoch, gamma=0.5)
# the paper trains one GPU with batch 8; scale the rate if you change the total batch
auto_scale_lr = dict(enable=False, base_batch_size=8)

default_hooks = dict(
    checkpoint=dict(interval=20 * iters_per_epoch),
    logger=dict(interval=100))
