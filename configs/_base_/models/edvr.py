# EDVR (Wang et al., CVPRW 2019) in its deblurring configuration, EDVR-L deblur: 128 channels,
# 8 deformable groups, 5 front / 40 back blocks, predeblur module, full-resolution input
# (23.6M parameters). As in EDVR/MMagic: Charbonnier loss, and the first 5,000 iterations
# train only the TSA fusion (MMagic's tsa_iter, here FusionWarmupHook).
model = dict(
    type='VideoDeblurrer',
    generator=dict(
        type='EDVRDeblurNet',
        mid_channels=128,
        num_frames=5,
        deform_groups=8,
        num_blocks_extraction=5,
        num_blocks_reconstruction=40,
        with_tsa=True),
    pixel_loss=dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))

custom_hooks = [dict(type='FusionWarmupHook', warmup_iters=5000)]
# the warm-up leaves the frozen parameters without gradients
find_unused_parameters = True
