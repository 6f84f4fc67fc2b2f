# Equal-time comparison (docs/baselines.md, "First two runs"): at Adam 2e-4 every model stayed
# at the identity after 60 minutes from scratch; this run checks whether Adam 1e-3, the rate
# that took the shipped network off the identity, does better in the same hour. Everything
# else as the registered FST + local path run; max_iters fits its idle 6.3 s/it.
#   python tools/train.py configs/fst/fst-local-path_1xb4-60min-lr1e-3_photos-footage.py
_base_ = ['./fst-local-path_1xb4-60min_photos-footage.py']

experiment_name = 'fst-local-path_1xb4-60min-lr1e-3_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

optim_wrapper = dict(optimizer=dict(lr=1e-3))
max_iters = 570  # what 60 minutes fit at this model's idle speed (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
