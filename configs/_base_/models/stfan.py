# STFAN (Zhou et al., ICCV 2019; 5.37M parameters), recurrent: one frame in, one frame out,
# the state carried between frames. STFAN's loss is MSE + 0.01 x VGG19 perceptual; the
# perceptual term needs ImageNet VGG19 weights, which these configs do not assume: add
#   dict(type='PerceptualLoss', layer_weights={'20': 1.0}, vgg_type='vgg19',
#        perceptual_weight=0.01, style_weight=0, criterion='mse', pretrained=...)
# to model.pixel_loss (see README: a missing weights file fails with a clear message).
model = dict(
    type='RecurrentVideoDeblurrer',
    generator=dict(type='STFANNet', channels=(32, 64, 128), filter_size=5),
    pixel_loss=[dict(type='MSELoss', loss_weight=1.0, reduction='mean')],
    data_preprocessor=dict(type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
