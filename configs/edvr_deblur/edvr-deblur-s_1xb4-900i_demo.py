# EDVR's second stage at demo scale: the TSA model loaded from the demo EDVR without TSA; TSA
# starts fresh and trains alone for 50 iterations (docs/baselines.md says how it ends).
#   python tools/train.py configs/edvr_deblur/edvr-deblur-s_1xb4-900i_demo.py --cfg-options \
#       load_from=work_dirs/edvr-deblur-wotsa-s_1xb4-900i_demo/iter_900.safetensors
_base_ = ['./edvr-deblur-wotsa-s_1xb4-900i_demo.py']

experiment_name = 'edvr-deblur-s_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(with_tsa=True))
custom_hooks = [dict(type='FusionWarmupHook', warmup_iters=50)]
partial_load_prefixes = ['generator.fusion.']
