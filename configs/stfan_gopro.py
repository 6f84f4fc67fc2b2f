# STFAN baseline (Zhou et al., ICCV 2019; 5.37M parameters) on GOPRO. Recurrent: training
# clips are 5 consecutive frames with all 5 sharp frames as targets (the state is detached
# between frames, as in the original). Testing runs one recurrence over each whole test
# sequence, as the original and tools/deblur_video.py do, and scores every frame
# (dist_test shards whole sequences); validation is cheaper: the 5 frames ending at the
# target, last output scored (tools/test.py --recurrent-mode window tests that way too).
# Same patches, batch, length and schedule (Adam 1e-4, halved at fixed steps) as fst_gopro.py.
_base_ = [
    './_base_/models/stfan.py', './_base_/datasets/gopro.py',
    './_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'stfan_gopro'
work_dir = f'./work_dirs/{experiment_name}'

# reversing both lists keeps every blurry frame paired with its sharp frame
train_pipeline = [dict(step, keys=['img', 'gt']) if step.type == 'TemporalReverse' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(window='trailing', gt_frames='all', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(window='trailing'))
test_dataloader = dict(dataset=dict(window='sequence'))
