# Fusion ablation at demo scale: the demo FST with concatenate-and-convolve fusion in place of
# the factorized spatio-temporal attention; everything else equal.
_base_ = ['../fst/fst-half_1xb4-900i_demo.py']

experiment_name = 'fst-concat-half_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='ConcatConvFusion', _delete_=True)))
