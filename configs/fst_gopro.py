# Short name of fst/fst_1xb8-1000e_gopro.py (FST with the paper's protocol on GOPRO), kept for the commands users type.
_base_ = ['./fst/fst_1xb8-1000e_gopro.py']

experiment_name = 'fst_gopro'
work_dir = f'./work_dirs/{experiment_name}'
