# Ablation: the same FSTNet with plain concatenate-and-convolve fusion (no attention).
_base_ = ['../fst_gopro.py']

experiment_name = 'fst_concat_gopro'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='ConcatConvFusion', _delete_=True)))
