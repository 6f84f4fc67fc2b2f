# The shipped network on GOPRO with the paper's protocol (configs/fst_gopro.py: T=5, 256x256
# patches, batch 8, Adam 1e-4 halved every 200 epochs, Charbonnier + 0.1 x frequency loss):
# FSTNet with FSTAttentionWithLocalPath at every scale (FSTA + a zero-initialised local concat
# path, configs/_base_/models/fst_local_path.py). On held-out real footage the local path is
# what lets the network read its neighbours (README, Model zoo, "Did the paper's network use its
# neighbours?"). From scratch:
#   python tools/train.py configs/fst_gopro_local_path.py
# or fine-tuning the shipped weights (same network, model-only safetensors) on real GOPRO:
#   python tools/train.py configs/fst_gopro_local_path.py \
#       --cfg-options load_from=fst_plugin/model_zoo/fst_footage.safetensors
_base_ = ['./fst_gopro.py']

experiment_name = 'fst_gopro_local_path'
work_dir = f'./work_dirs/{experiment_name}'
model = dict(generator=dict(fusion=dict(type='FSTAttentionWithLocalPath')))
