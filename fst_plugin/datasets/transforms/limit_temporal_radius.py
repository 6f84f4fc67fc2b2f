"""Hide the farther frames of an input clip: a test-time ablation of temporal fusion."""
from mmcv.transforms import BaseTransform

from mmagic.registry import TRANSFORMS

from ...utils.frame_window import limit_temporal_radius


@TRANSFORMS.register_module()
class LimitTemporalRadius(BaseTransform):
    """Replace each input frame farther than ``radius`` from the centre by the nearest kept one.

    A video network such as FST (Suin and Rajagopalan, "Dynamic Scene Video Deblurring using
    Non-Local Attention") fuses all T frames of its window. This transform asks how much a
    trained video model takes from its neighbours:
    with ``radius=0`` every input frame is the centre frame (the network sees a still
    clip, so whatever it gains comes from one frame); ``radius=1`` keeps the two nearest
    neighbours. Frames are replaced the way ``padding='replicate'`` pads a sequence's ends,
    which the network has seen in training: index ``i`` reads ``clamp(i, c - radius,
    c + radius)`` with ``c = t // 2``.

    Input/output: ``results[key]`` a list of T frames, each (h, w, c) (``LoadImageFromFile``
    or ``LoadFramesFromStore`` output) with T odd; the list is rebuilt, the arrays are shared,
    not copied.

    Args:
        keys (list[str]): Keys holding the input clip. Default: ``['img']``.
        radius (int): Frames kept on each side of the centre, >= 0. Default: 0.
    """

    def __init__(self, keys=('img', ), radius: int = 0):
        if isinstance(keys, str):
            keys = [keys]
        if not isinstance(radius, int) or isinstance(radius, bool) or radius < 0:
            raise ValueError(f'LimitTemporalRadius: radius must be an integer >= 0, '
                             f'got {radius!r}')
        self.keys = list(keys)
        self.radius = radius

    def transform(self, results: dict) -> dict:
        for key in self.keys:
            frames = results.get(key)
            if not isinstance(frames, (list, tuple)):
                raise TypeError(f'LimitTemporalRadius: results[{key!r}] must be a list of '
                                f'frames, got {type(frames).__name__}')
            t = len(frames)
            if t % 2 == 0:
                raise ValueError(f'LimitTemporalRadius: results[{key!r}] has {t} frames; '
                                 'the centre frame needs an odd number')
            results[key] = limit_temporal_radius(frames, self.radius)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(keys={self.keys}, radius={self.radius})'
