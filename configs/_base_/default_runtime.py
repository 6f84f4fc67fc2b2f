# Runtime shared by every fst_plugin config (MMagic conventions, MMagic's own scope).
default_scope = 'mmagic'
custom_imports = dict(imports=['fst_plugin'], allow_failed_imports=False)
save_dir = './work_dirs'

default_hooks = dict(
    # MMEngine's timer: MMagic's IterTimerHook needs MMagic's MultiValLoop/MultiTestLoop
    # (it reads loop.total_length) and crashes in the standard ValLoop/TestLoop used here
    timer=dict(type='mmengine.IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # MMEngine's CheckpointHook with atomic writes of checkpoints and last_checkpoint
    checkpoint=dict(
        type='AtomicCheckpointHook',
        interval=5000,
        by_epoch=False,
        max_keep_ckpts=5,
        save_best='PSNR',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # tools/train.py and tools/test.py switch to 'gloo' when no GPU is present
    dist_cfg=dict(backend='nccl'),
)

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ConcatImageVisualizer', vis_backends=vis_backends, fn_key='vis_name',
                  img_keys=['blurry_img', 'pred_img', 'gt_img'], bgr2rgb=True)
