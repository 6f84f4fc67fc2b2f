# The shipped network (FST with a zero-initialised local path in every fusion,
# FSTAttentionWithLocalPath) on GOPRO with the paper's protocol. From scratch, or fine-tuning
# the shipped weights on GOPRO:
#   python tools/train.py configs/fst/fst-local-path_1xb8-1000e_gopro.py \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
_base_ = ['./fst_1xb8-1000e_gopro.py']

experiment_name = 'fst-local-path_1xb8-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(fusion=dict(type='FSTAttentionWithLocalPath')))
