# Short name of edvr_deblur/edvr-deblur_1xb8-1000e_gopro.py (EDVR-deblur on GOPRO), kept for the commands users type.
_base_ = ['./edvr_deblur/edvr-deblur_1xb8-1000e_gopro.py']

experiment_name = 'edvr_gopro'
work_dir = f'./work_dirs/{experiment_name}'
