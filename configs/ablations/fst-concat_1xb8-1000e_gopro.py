# Fusion ablation: FSTNet with plain concatenate-and-convolve fusion (no attention) on GOPRO.
_base_ = ['../fst/fst_1xb8-1000e_gopro.py']

experiment_name = 'fst-concat_1xb8-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='ConcatConvFusion', _delete_=True)))
