# The two-layer single-frame control (SingleFrameControlNet: conv 3x3 -> LeakyReLU -> conv
# 3x3 on the centre frame, added to it; 3.5k parameters): what a video deblurring network
# must beat to show that its multi-frame body helps. L1, as the footage recipe.
model = dict(
    type='VideoDeblurrer',
    generator=dict(type='SingleFrameControlNet', mid_channels=32, num_frames=5),
    pixel_loss=dict(type='L1Loss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
