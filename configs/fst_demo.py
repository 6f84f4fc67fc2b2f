# Short name of fst/fst-half_1xb4-900i_demo.py (the CPU demo FST), kept for the commands users type.
_base_ = ['./fst/fst-half_1xb4-900i_demo.py']

experiment_name = 'fst_demo'
work_dir = f'./work_dirs/{experiment_name}'
