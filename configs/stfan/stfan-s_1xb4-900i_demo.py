# STFAN scaled down (channels 16/32/64; 1.35M parameters) on FST's demo data and recipe, with a
# zero-initialised full-resolution path (`full_res_skip=True`, not in the paper: without it
# the demo network stays at the identity; docs/baselines.md).
_base_ = [
    '../_base_/models/stfan.py', '../_base_/datasets/demo_gopro.py',
    '../_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'stfan-s_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(channels=(16, 32, 64), full_res_skip=True))

# recurrent windows as in stfan_1xb8-1000e_gopro.py
train_pipeline = [dict(step, keys=['img', 'gt']) if step.type == 'TemporalReverse' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(window='trailing', gt_frames='all', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(window='trailing'))
test_dataloader = dict(dataset=dict(window='sequence'))
