# The demo recipe, shared by configs/{fst,edvr,stfan}_demo.py so that tools/analysis_tools/compare.py compares
# the networks at an equal budget: 900 iterations, Adam 1e-3 with cosine decay. The validation
# at the end is a report; it selects nothing: no "best" checkpoint is kept and the last one is
# what the demo tests and compares. Builds on the runtime, whose hooks it sets.
_base_ = ['../default_runtime.py']

demo_iters = 900
train_cfg = dict(type='IndexSkippingIterBasedTrainLoop', max_iters=demo_iters,
                 val_interval=demo_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=demo_iters, eta_min=1e-5)
auto_scale_lr = dict(enable=False, base_batch_size=8)

default_hooks = dict(
    checkpoint=dict(interval=100, max_keep_ckpts=2, save_best=None),
    logger=dict(interval=20))
log_processor = dict(window_size=20)
