# FSTNet (./fst.py) with FSTAttentionWithLocalPath at every scale: the paper's factorized
# spatio-temporal attention plus a zero-initialised local concat path, so that a neighbour's
# local detail can reach the reference frame (FSTA hands every pixel only global descriptors).
# FST weights load into it with only `local_path.*` new. L1 loss.
_base_ = ['./fst.py']

model = dict(
    generator=dict(fusion=dict(type='FSTAttentionWithLocalPath')),
    pixel_loss=dict(type='L1Loss', loss_weight=1.0, reduction='mean', _delete_=True))
