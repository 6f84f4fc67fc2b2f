# EDVR baseline in its deblurring configuration (EDVR-L deblur, 23.6M parameters) on GOPRO,
# with the same data, patches, batch and length as fst_gopro.py. From EDVR/MMagic: Adam 2e-4
# with cosine restarts (5 periods) instead of the paper's step schedule.
# As in the official recipe, start it from EDVR trained without TSA (configs/edvr_wotsa_gopro.py):
#   python tools/train.py configs/edvr_gopro.py \
#       --cfg-options load_from=work_dirs/edvr_wotsa_gopro/iter_263000.safetensors
# The TSA fusion then starts fresh (partial_load_prefixes) and trains alone for the first
# 5,000 iterations (FusionWarmupHook). From scratch, TSA kept our demo-scale EDVR at the
# identity (configs/edvr_demo.py).
_base_ = [
    './_base_/models/edvr.py', './_base_/datasets/gopro.py',
    './_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'edvr_gopro'
work_dir = f'./work_dirs/{experiment_name}'

optim_wrapper = dict(optimizer=dict(lr=2e-4))
param_scheduler = dict(
    type='CosineRestartLR',
    by_epoch=False,
    periods=[_base_.max_iters // 5] * 5,
    restart_weights=[1, 0.5, 0.5, 0.5, 0.5],
    eta_min=1e-7,
    _delete_=True)
# load_from may leave these keys at their initialisation (tools/train.py checks the rest)
partial_load_prefixes = ['generator.fusion.']
