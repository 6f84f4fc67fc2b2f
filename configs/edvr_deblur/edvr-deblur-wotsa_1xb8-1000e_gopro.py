# EDVR's first stage on GOPRO: EDVR-L deblur without TSA (a 1x1 conv fuses the aligned frames),
# trained from scratch; edvr-deblur_1xb8-1000e_gopro.py continues from its weights.
#   python tools/train.py configs/edvr_deblur/edvr-deblur-wotsa_1xb8-1000e_gopro.py
_base_ = ['./edvr-deblur_1xb8-1000e_gopro.py']

experiment_name = 'edvr-deblur-wotsa_1xb8-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(with_tsa=False))
custom_hooks = []  # no TSA, so no TSA-only warm-up
partial_load_prefixes = []
