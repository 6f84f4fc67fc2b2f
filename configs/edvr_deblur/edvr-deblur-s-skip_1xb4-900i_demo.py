# EDVR with TSA at demo scale, from scratch, with a zero-initialised full-resolution path
# (`full_res_skip=True`, not in the paper) that keeps TSA's gates from saturating at 0.
#   python tools/train.py configs/edvr_deblur/edvr-deblur-s-skip_1xb4-900i_demo.py
_base_ = ['./edvr-deblur-wotsa-s_1xb4-900i_demo.py']

experiment_name = 'edvr-deblur-s-skip_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(with_tsa=True, full_res_skip=True))
