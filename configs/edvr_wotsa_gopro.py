# EDVR's first stage on GOPRO: EDVR-L deblur without TSA (a 1x1 conv fuses the aligned
# frames; MMagic's `edvrm_wotsa` variant), trained from scratch with edvr_gopro.py's data and
# schedule. The official recipe trains TSA only from these weights (edvr_gopro.py):
#   python tools/train.py configs/edvr_wotsa_gopro.py
#   python tools/train.py configs/edvr_gopro.py \
#       --cfg-options load_from=work_dirs/edvr_wotsa_gopro/iter_263000.safetensors
# Trained from scratch with TSA, our demo-scale EDVR stayed at the identity (configs/edvr_demo.py).
_base_ = ['./edvr_gopro.py']

experiment_name = 'edvr_wotsa_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(with_tsa=False))
custom_hooks = []  # no TSA, so no TSA-only warm-up
partial_load_prefixes = []
