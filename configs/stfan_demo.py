# STFAN on the demo data with FST's demo recipe (configs/fst_demo.py): same data,
# 64x64 patches, batch 4, 900 iterations, MSE, Adam 1e-3 with cosine decay, so that
# tools/compare.py compares the networks at an equal iteration budget. Each training
# sample is 5 consecutive frames, all 5 restored and scored (recurrent training, as in
# configs/stfan_gopro.py). The network is scaled down like FST's demo network
# (channels 16/32/64: 1.35M parameters; 0.86 s per CPU iteration).
# With a full-resolution path added (`full_res_skip=True`: a zero-initialised 3x3 conv from
# the deblurring encoder's full-resolution features to the output; not in the paper's
# network, which configs/stfan_gopro.py keeps). Without it every output detail passes the
# 1/4-resolution bottleneck and 900 iterations leave STFAN at the identity (28.66 -> 28.67 dB);
# with it, 28.92 dB (FST demo: 28.91). A diagnostic loop showed the cause: the loss relative to
# the identity's stays at 1.0004 (Xavier init and 1e-4, the original's recipe: 1.0000) and
# falls to 0.964 within 150 iterations with the path (FST: 0.961). README, "Baselines".
_base_ = [
    './_base_/models/stfan.py', './_base_/datasets/demo_gopro.py',
    './_base_/schedules/demo_900_iterations.py'
]

experiment_name = 'stfan_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(channels=(16, 32, 64), full_res_skip=True))

# as configs/stfan_gopro.py: both lists reversed, trailing windows, every frame a target
train_pipeline = [dict(step, keys=['img', 'gt']) if step.type == 'TemporalReverse' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(window='trailing', gt_frames='all', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(window='trailing'))
test_dataloader = dict(dataset=dict(window='sequence'))
