# STFAN on the demo data with FST's demo recipe (configs/fst_demo.py): same data,
# 64x64 patches, batch 4, 900 iterations, MSE, Adam 1e-3 with cosine decay, so that
# tools/compare.py compares the networks at an equal iteration budget. Each training
# sample is 5 consecutive frames, all 5 restored and scored (recurrent training, as in
# configs/stfan_gopro.py). The network is scaled down like FST's demo network
# (channels 16/32/64: 1.35M parameters; 0.86 s per CPU iteration).
_base_ = [
    './_base_/models/stfan.py', './_base_/datasets/demo_gopro.py',
    './_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'stfan_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(channels=(16, 32, 64)))

# as configs/stfan_gopro.py: both lists reversed, trailing windows, every frame a target
train_pipeline = [dict(step, keys=['img', 'gt']) if step.type == 'TemporalReverse' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(window='trailing', gt_frames='all', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(window='trailing'))
test_dataloader = dict(dataset=dict(window='sequence'))
