# Second lent-GPU run: configs/fst_footage_gpu.py's last weights (2,280 iterations) trained on
# for 3.8 more minutes on the same H200 lease, with a fresh warm-up (50 iterations) and cosine
# from 1e-4, new synthesis seeds (--seed 2000). See configs/fst_footage_gpu.py.
#   python tools/train_footage_gpu.py --footage data/footage --out RAW2 --minutes 3.8 \
#       --init RAW/ema_2280.safetensors --lr 1e-4 --warmup-iters 50 --snapshots 3 --seed 2000
#   python tools/train_footage_gpu.py --export RAW2 --config configs/fst_footage_gpu2.py
# Outcome (3.8 min, 1,450 iterations): its iteration 950 shipped until configs/fst_footage_gpu3.py (validation +0.44 dB, nearly
# sharp validation -0.12, sharp input 71.6 dB; held out +0.38: camera blur +0.76..+1.16,
# the nearly sharp cup sequence -1.92). See README, Model zoo.
_base_ = ['./fst_footage_gpu.py']

experiment_name = 'fst_footage_gpu2'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './work_dirs/fst_footage_gpu/iter_2280.safetensors'
