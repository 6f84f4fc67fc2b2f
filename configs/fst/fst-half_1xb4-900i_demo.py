# FST at half width on synthesized GOPRO-layout clips, sized for a CPU: 64x64 crops, batch 4,
# 900 iterations, MSE, Adam 1e-3 with cosine decay (tools/run_demo.sh trains it).
_base_ = [
    '../_base_/models/fst.py', '../_base_/datasets/demo_gopro.py',
    '../_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'fst-half_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(
    generator=dict(mid_channels=(16, 32, 48), growth_channels=(8, 16, 24)),
    pixel_loss=[dict(type='MSELoss', loss_weight=1.0, reduction='mean')],
)
