# Control at demo scale: a two-layer single-frame residual CNN (SingleFrameControlNet, 3.5k
# parameters) trained with the demo recipe of configs/fst_demo.py (same data, 64x64 crops,
# batch 4, 900 iterations, MSE, Adam 1e-3 cosine). A video network's demo gain means its
# multi-frame body helps only where it beats this (README, "Baselines").
_base_ = ['../fst_demo.py']

experiment_name = 'single_frame_control_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(type='SingleFrameControlNet', mid_channels=32, num_frames=5,
                            _delete_=True))
