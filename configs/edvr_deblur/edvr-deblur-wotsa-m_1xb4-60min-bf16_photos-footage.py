# Equal-time comparison on a CPU with AMX (docs/baselines.md, "On a Xeon with AMX"): EDVR-deblur
# without TSA at FST's per-frame cost, trained from scratch for 60 minutes in bf16 on the photos +
# footage data, Adam 1e-3 with gradient clipping, beside every other model of the comparison on the
# same data and budget.
#   python tools/train.py configs/edvr_deblur/edvr-deblur-wotsa-m_1xb4-60min-bf16_photos-footage.py
#   (after an interruption: the same command with --resume; the budget counts across runs)
_base_ = ['./edvr-deblur-wotsa-m_1xb4-60min_photos-footage.py']

experiment_name = 'edvr-deblur-wotsa-m_1xb4-60min-bf16_photos-footage'
work_dir = f'./work_dirs/{experiment_name}'

# bf16 comes from tools/train.py's default --amp auto on a CPU with AMX or AVX512-BF16;
# gradient clipping because the shipped network diverged at 1e-3 in bf16 without it (research
# log 07, run F); checkpoints every 100 iterations hold the EMA weights of the
# equal-iteration rows
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=0.2))
default_hooks = dict(checkpoint=dict(interval=100, max_keep_ckpts=100))
max_iters = 520  # what 60 minutes fit at its idle speed on that CPU (docs/baselines.md)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
param_scheduler = [_base_.param_scheduler[0],
                   dict(_base_.param_scheduler[1], end=max_iters,
                        T_max=max_iters - _base_.warmup_iters)]
