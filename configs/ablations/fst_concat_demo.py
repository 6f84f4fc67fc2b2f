# Fusion ablation at demo scale: configs/fst_demo.py with concatenate-and-convolve fusion in
# place of the factorized spatio-temporal attention; everything else (network width, data,
# 64x64 crops, 900 iterations, MSE, Adam 1e-3 cosine) equal. README, "Fusion ablation".
_base_ = ['../fst_demo.py']

experiment_name = 'fst_concat_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(fusion=dict(type='ConcatConvFusion', _delete_=True)))
