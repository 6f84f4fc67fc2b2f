# FST on GOPRO with the paper's protocol: T=5, 256x256 patches, batch 8, Adam 1e-4 halved
# every 200 epochs (52,600 iterations), 1000 epochs; Charbonnier + 0.1 x frequency loss.
_base_ = [
    './_base_/models/fst.py', './_base_/datasets/gopro.py',
    './_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'fst_gopro'
work_dir = f'./work_dirs/{experiment_name}'
