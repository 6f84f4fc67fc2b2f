# Fusion ablation at demo scale: the demo FST with a spatio-temporal non-local block (Wang et
# al. 2018). Whole test frames need PyTorch's fused attention kernel (memory_efficient=True:
# the same values with memory linear in the number of pixels; time stays quadratic).
_base_ = ['../fst/fst-half_1xb4-900i_demo.py']

experiment_name = 'fst-nonlocal-half_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(
    fusion=dict(type='SpatioTemporalNonLocalFusion', memory_efficient=True, _delete_=True)))
