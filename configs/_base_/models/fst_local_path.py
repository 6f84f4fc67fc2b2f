# FSTNet (configs/_base_/models/fst.py) with FSTAttentionWithLocalPath at every scale: the
# paper's factorized spatio-temporal attention plus a zero-initialised local concat path, so
# that a neighbour's local detail can reach the reference frame (FSTA hands every pixel only
# global descriptors; `tools/test.py --temporal-radius 0` shows trained FST weights do not use
# their neighbours). FST weights load into it with only `local_path.*` new. Written out in
# full (no _base_) because tools/misc/train_footage_gpu.py reads it without MMEngine.
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
            type='FSTAttentionWithLocalPath',
            num_spatial_maps=4,
            num_temporal_maps=4)),
    pixel_loss=dict(type='L1Loss', loss_weight=1.0, reduction='mean'),
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
