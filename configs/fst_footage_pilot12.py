# The shipped weights (README, Model zoo, pilot 12): FST + local path, a uniform soup of two
# CPU runs that share a start. Lineage, each step a CPU run of tools/train_footage_gpu.py
# (one thread each, two runs side by side on the 2 cores, bf16 autocast, 160 px crops, batch
# 4, 1e-4 with a 20-iteration warm-up and cosine over 55 minutes, 60 sequences synthesized
# before training, 14 % sharp pairs, 25 % still scenes, EMA snapshots):
#   1. R1, R2 (pilot 8, seeds 9901/9902) from GPU 5b's iteration 523 (the weights shipped
#      before, configs/fst_footage_gpu5.py; `git show 6222a38:fst_plugin/model_zoo/
#      fst_footage.safetensors > GPU5B_523.safetensors`); their soup is the start below.
#   2. R9, R10 (pilot 12, seeds 9907/9908) from that soup, with 30 % of the samples cut at
#      160-240 px and shrunk to 160 px (--downscale-share 0.3 --min-scale 0.6): 844 and 831
#      iterations in 55 minutes.
#   3. The elementwise mean of R9's and R10's last EMA snapshots ships.
#   python tools/train_footage_gpu.py --footage data/footage --out RAW_R1 --seed 9901 \
#       --init GPU5B_523.safetensors --model-config configs/_base_/models/fst_local_path.py \
#       --minutes 55 --batch-size 4 --crop 160 --warmup-iters 20 --snapshots 2 \
#       --identity-share 0.14 --static-share 0.25 --min-sequences 60 --max-sequences 60 \
#       --workers 1 --dtype bf16 --device cpu          # and RAW_R2 with --seed 9902
#   python tools/average_weights.py RAW_R1/ema_813.safetensors RAW_R2/ema_782.safetensors \
#       --out RAW_SOUP12/ema_813.safetensors
#   python tools/train_footage_gpu.py ... (the same) --init RAW_SOUP12/ema_813.safetensors \
#       --downscale-share 0.3 --min-scale 0.6 --seed 9907 --out RAW_R9   # and 9908: RAW_R10
#   python tools/average_weights.py RAW_R9/ema_844.safetensors RAW_R10/ema_831.safetensors \
#       --out RAW_SOUP910/ema_844.safetensors
#   python tools/train_footage_gpu.py --export RAW_SOUP910 --config configs/fst_footage_pilot12.py
# Selection (README, pilot 12, registered before R9 and R10 existed): the soup ships if it is
# no worse than GPU 5b's 523 on every selector set (unseen clips, clean frames, validation,
# interval 2, nearly sharp validation, sharp input); held-out cup.mp4 was read after that.
_base_ = ['./fst_footage_local_path.py']

experiment_name = 'fst_footage_pilot12'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './fst_plugin/model_zoo/fst_footage.safetensors'
