# Short name of stfan/stfan_1xb8-1000e_gopro.py (STFAN on GOPRO), kept for the commands users type.
_base_ = ['./stfan/stfan_1xb8-1000e_gopro.py']

experiment_name = 'stfan_gopro'
work_dir = f'./work_dirs/{experiment_name}'
