# Control for the shipped model: the two-layer single-frame CNN (SingleFrameControlNet) trained
# on the footage recipe of the GPU runs (tools/train_footage_gpu.py: freshly synthesized
# sequences from the training clips, L1, 224 px crops, batch 16, 7 % sharp pairs, weight EMA),
# from scratch. What FST gains on held-out footage beyond this is what its multi-frame body
# and depth add (README, Model zoo). On this CPU:
#   python tools/train_footage_gpu.py --footage data/footage --out RAW_CONTROL --device cpu \
#       --dtype fp32 --model-config configs/_base_/models/single_frame_control.py \
#       --minutes 20 --lr 1e-3 --warmup-iters 50 --ema-momentum 0.01 --workers 1 --seed 4000
#   python tools/train_footage_gpu.py --export RAW_CONTROL \
#       --config configs/ablations/single_frame_control_footage.py
_base_ = ['../fst_footage_gpu.py']

experiment_name = 'single_frame_control_footage'
work_dir = f'./work_dirs/{experiment_name}'
load_from = None
model = dict(generator=dict(type='SingleFrameControlNet', mid_channels=32, num_frames=5,
                            _delete_=True))
