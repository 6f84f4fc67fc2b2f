# EDVR-L in its deblurring configuration (23.6M parameters) on GOPRO, with FST's data, crops,
# batch and length; Adam 2e-4 with 5 cosine restarts (MMagic's EDVR schedule). As in the
# official recipe it starts from EDVR trained without TSA; TSA starts fresh and trains alone
# for the first 5,000 iterations:
#   python tools/train.py configs/edvr_deblur/edvr-deblur_1xb8-1000e_gopro.py --cfg-options \
#       load_from=work_dirs/edvr-deblur-wotsa_1xb8-1000e_gopro/iter_263000.safetensors
_base_ = [
    '../_base_/models/edvr.py', '../_base_/datasets/gopro.py',
    '../_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'edvr-deblur_1xb8-1000e_gopro'
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
