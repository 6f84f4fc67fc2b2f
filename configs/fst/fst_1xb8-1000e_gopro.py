# FST on GOPRO with the paper's protocol: T=5, 256x256 crops, batch 8 on one GPU, Adam 1e-4
# halved every 200 epochs, 1000 epochs (263,000 iterations); Charbonnier + 0.1 x frequency loss.
#   python tools/train.py configs/fst/fst_1xb8-1000e_gopro.py
_base_ = [
    '../_base_/models/fst.py', '../_base_/datasets/gopro.py',
    '../_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'fst_1xb8-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'
