# Sixth lent-GPU run (not shipped): the shipped weights (GPU 5b, iteration 523; FST + local
# path) trained on for 7 minutes on one H200 at batch 32 with a new kind of data: 20 % of the
# synthesized sequences are procedural dead-leaves scenes with depth-of-field defocus that the
# sharp frames keep (--natural-share; ProceduralScene(texture='natural')), beside 14 % sharp
# pairs and 25 % still scenes; warm-up 50 then cosine from 1e-4, five EMA snapshots. GPU 6b
# continued GPU 6's last snapshot for 4.4 minutes at 5e-5. Only the training clips travelled
# to the GPU machine (cup, tree and bikes were absent there).
#   python tools/train_footage_gpu.py --footage FOOTAGE_WITHOUT_CUP_TREE_BIKES --out RAW6 \
#       --minutes 7 --model-config configs/_base_/models/fst_local_path.py \
#       --init fst_plugin/model_zoo/fst_footage.safetensors --identity-share 0.14 \
#       --static-share 0.25 --natural-share 0.2 --batch-size 32 --lr 1e-4 \
#       --warmup-iters 50 --snapshots 5 --seed 9700
#   python tools/train_footage_gpu.py --footage FOOTAGE_WITHOUT_CUP_TREE_BIKES --out RAW6B \
#       --minutes 4.4 --model-config configs/_base_/models/fst_local_path.py \
#       --init RAW6/ema_2123.safetensors --identity-share 0.14 --static-share 0.25 \
#       --natural-share 0.2 --batch-size 32 --lr 5e-5 --warmup-iters 50 --snapshots 2 \
#       --seed 9800
#   python tools/train_footage_gpu.py --export RAW6 --config configs/fst_footage_gpu6.py
# Selection (written before training): GPU 5's four clauses against the shipped weights plus
# unseen-clip gain (data/footage_val_unseen: tree, bikes) at least the shipped one - 0.05 dB,
# and validation + nearly sharp validation + unseen more than 0.05 dB above the shipped sum.
# No snapshot passed: the unseen clips lost 0.11-0.33 dB (bikes), though held-out cup.mp4
# rose to +1.43 dB (read after the decision). README, Model zoo, "Natural procedural scenes".
# The dead-leaves density was raised after this run (leaves now cover the canvas ~5 times
# over; the run's ~2 times left ~10 % flat background).
_base_ = ['./fst_footage_local_path.py']

experiment_name = 'fst_footage_gpu6'
work_dir = f'./work_dirs/{experiment_name}'
load_from = './fst_plugin/model_zoo/fst_footage.safetensors'
