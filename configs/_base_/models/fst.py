# FSTNet (Suin and Rajagopalan, "Dynamic Scene Video Deblurring using Non-Local Attention") at the
# paper's width: a 3-scale encoder-decoder of densely connected modules whose 5 input frames
# are fused at every scale by factorized spatio-temporal attention (M=4 spatial, N=4 temporal
# maps). Loss: Charbonnier + 0.1 x frequency reconstruction. num_frames must equal the
# dataset's num_input_frames (tests/test_configs.py checks every config).
model = dict(
    type='VideoDeblurrer',
    generator=dict(
        type='FSTNet',
        mid_channels=(32, 64, 96),
        growth_channels=(16, 32, 48),
        num_dense_layers=4,
        num_encoder_blocks=1,
        num_decoder_blocks=(1, 1, 2),
        num_frames=5,
        fusion=dict(
            type='FactorizedSpatioTemporalAttention',
            num_spatial_maps=4,
            num_temporal_maps=4)),
    pixel_loss=[
        dict(type='CharbonnierLoss', loss_weight=1.0, reduction='mean'),
        dict(type='FrequencyReconstructionLoss', loss_weight=0.1, norm='ortho'),
    ],
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
