# The demo data: synthesized GOPRO-layout clips (256x256), 64x64 crops, batch 4; validation
# scores every 4th test frame. Data:
#   python tools/dataset_converters/synthesize_gopro.py --out data/demo_gopro --size 256x256 --shake 1.0
# (tools/run_demo.sh does that for you when data/demo_gopro is missing).
_base_ = ['./gopro.py']

data_root = 'data/demo_gopro'
gt_patch_size = 64
train_pipeline = [dict(step, gt_patch_size=gt_patch_size) if step.type == 'PairedRandomCrop'
                  else step for step in _base_.train_pipeline]
train_dataloader = dict(
    num_workers=2,
    batch_size=4,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    dataset=dict(data_root=data_root, split='test', sequences=None, target_interval=4))
test_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))
