# Fourth lent-GPU run, the first with the local path: the weights shipped from
# configs/fst_footage_local_path.py (leg 3, iteration 369) trained on for 7.5 minutes of wall
# time on one H200 at batch 16, the GPU runs' recipe with legs 2-3's share of sharp pairs
# (14 %), a fresh warm-up (50 iterations) and cosine from 1e-4, new synthesis seeds, snapshots
# of the weight EMA at five evenly spaced times; iteration 3,731 shipped until
# configs/fst_footage_gpu5.py. See configs/fst_footage_gpu.py for why a plain loop.
#   python tools/train_footage_gpu.py --footage data/footage --out RAW4 --minutes 7.5 \
#       --model-config configs/_base_/models/fst_local_path.py \
#       --init fst_plugin/model_zoo/fst_footage.safetensors --identity-share 0.14 \
#       --lr 1e-4 --warmup-iters 50 --snapshots 5 --seed 9000
#   python tools/train_footage_gpu.py --export RAW4 --config configs/fst_footage_gpu4.py
# GPU 4b, the lease's last 2.5 minutes: --init RAW4/ema_3731.safetensors --lr 5e-5
# --snapshots 2 --seed 9100 --minutes 2.5.
# Selection: README, Model zoo (validation lead > 0.05 dB over the shipped weights, nearly
# sharp validation no more than 0.05 dB worse, sharp validation input at least 60 dB; of the
# passing snapshots the best validation gain ships).
_base_ = ['./fst_footage_local_path.py']

experiment_name = 'fst_footage_gpu4'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './fst_plugin/model_zoo/fst_footage.safetensors'
