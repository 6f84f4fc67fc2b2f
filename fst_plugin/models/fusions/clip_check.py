"""Input check shared by the fusion modules."""
from torch import Tensor


def check_clip(module, feats: Tensor, ref_idx: int, channels: int, num_frames: int = None):
    """Raise a clear error unless ``feats`` is (b, t, channels, h, w) and ``ref_idx`` in t."""
    t = '{}'.format(num_frames) if num_frames is not None else 't'
    if (feats.dim() != 5 or feats.size(2) != channels
            or (num_frames is not None and feats.size(1) != num_frames)):
        raise ValueError(f'{type(module).__name__} expects (b, {t}, {channels}, h, w) features, '
                         f'got {tuple(feats.shape)}')
    if not -feats.size(1) <= ref_idx < feats.size(1):
        raise IndexError(f'ref_idx {ref_idx} is out of range for {feats.size(1)} frames')
