# STFAN (Zhou et al., ICCV 2019; 5.37M parameters) on GOPRO with FST's crops, batch, length and
# schedule. Recurrent: a training sample is 5 consecutive frames with all 5 sharp frames as
# targets; testing runs one recurrence over each whole sequence and scores every frame.
_base_ = [
    '../_base_/models/stfan.py', '../_base_/datasets/gopro.py',
    '../_base_/schedules/gopro_1000_epochs.py'
]

experiment_name = 'stfan_1xb8-1000e_gopro'
work_dir = f'./work_dirs/{experiment_name}'

# reversing both lists keeps every blurry frame paired with its sharp frame
train_pipeline = [dict(step, keys=['img', 'gt']) if step.type == 'TemporalReverse' else step
                  for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(window='trailing', gt_frames='all', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(window='trailing'))
test_dataloader = dict(dataset=dict(window='sequence'))
