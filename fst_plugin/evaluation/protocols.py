"""Evaluation protocols: how a restored frame is scored, named so that tables can say it.

Published video-deblurring tables differ in how they score the same output. The numbers that
FST's Table 1 copies come from CDVD-TSP's ``code/inference.py`` (Pan et al., CVPR 2020),
which:

- rounds the output to 8 bits (``tensor2numpy``: ``clamp(0, 255).round()`` then ``uint8``,
  as a saved PNG would be);
- crops a border of 4 pixels before PSNR and SSIM (``get_PSNR_SSIM(crop_border=4)``);
- without its ``--border`` flag, scores only frames that have ``n_seq // 2 = 2`` real
  neighbours on each side (``gene_seq``), i.e. skips the first and last 2 frames of every
  sequence;
- scores RGB (no Y channel); SSIM is the mean over channels of an 11x11 Gaussian (sigma
  1.5) SSIM on the valid region, which is what MMagic's ``ssim`` computes.

MMagic's own ``PSNR``/``SSIM`` metrics score the float output (clamped, not rounded), full
frame, every frame: the ``'full'`` protocol, this project's default.
"""
from typing import Dict, List, NamedTuple, Sequence, Union


class EvaluationProtocol(NamedTuple):
    """One way of scoring a restored frame against its sharp frame.

    Args:
        name (str): Name in tables, metric keys and reports.
        quantize (bool): Round the output to integers in [0, 255] before scoring (the
            sharp and blurry frames are 8-bit already).
        crop_border (int): Pixels removed from each side before PSNR and SSIM.
        skip_edge_frames (int): Frames not scored at the start and at the end of every
            sequence (by their position in the whole sequence, not among scored frames).
    """
    name: str
    quantize: bool = False
    crop_border: int = 0
    skip_edge_frames: int = 0

    def describe(self) -> str:
        """One line for logs and reports, e.g. ``'cdvd_tsp: 8-bit output, border 4 px
        cropped, first/last 2 frames of each sequence skipped'``."""
        parts = ['8-bit output' if self.quantize else 'float output (clamped, not rounded)',
                 f'border {self.crop_border} px cropped' if self.crop_border else 'full frame',
                 f'first/last {self.skip_edge_frames} frames of each sequence skipped'
                 if self.skip_edge_frames else 'every frame']
        return f'{self.name}: RGB, ' + ', '.join(parts)


PROTOCOLS: Dict[str, EvaluationProtocol] = {
    'full': EvaluationProtocol('full'),
    'cdvd_tsp': EvaluationProtocol('cdvd_tsp', quantize=True, crop_border=4,
                                   skip_edge_frames=2),
}

ProtocolSpec = Union[str, dict, EvaluationProtocol]


def resolve_protocol(spec: ProtocolSpec) -> EvaluationProtocol:
    """A protocol from its name in :data:`PROTOCOLS`, or from a dict of its fields (a custom
    one; ``base`` names a preset whose other fields it keeps).

    Raises:
        ValueError: unknown name, unknown field or a negative number.
    """
    if isinstance(spec, EvaluationProtocol):
        protocol = spec
    elif isinstance(spec, str):
        if spec not in PROTOCOLS:
            raise ValueError(f'unknown evaluation protocol {spec!r}; known: {sorted(PROTOCOLS)} '
                             '(or a dict with name, quantize, crop_border, skip_edge_frames)')
        protocol = PROTOCOLS[spec]
    elif isinstance(spec, dict):
        fields = dict(spec)
        base = resolve_protocol(fields.pop('base', 'full'))
        unknown = sorted(set(fields) - set(EvaluationProtocol._fields))
        if unknown:
            raise ValueError(f'evaluation protocol {spec}: unknown fields {unknown}; allowed: '
                             f'{list(EvaluationProtocol._fields)} and base')
        if 'name' not in fields:
            raise ValueError(f'evaluation protocol {spec}: a custom protocol needs a name')
        protocol = base._replace(**fields)
    else:
        raise ValueError(f'evaluation protocol must be a name or a dict, got {spec!r}')
    for field in ('crop_border', 'skip_edge_frames'):
        value = getattr(protocol, field)
        if not isinstance(value, int) or value < 0:
            raise ValueError(f'evaluation protocol {protocol.name!r}: {field} must be an '
                             f'integer >= 0, got {value!r}')
    return protocol


def resolve_protocols(specs: Union[ProtocolSpec, Sequence[ProtocolSpec]]
                      ) -> List[EvaluationProtocol]:
    """:func:`resolve_protocol` for one spec or a list; names must differ."""
    if isinstance(specs, (str, dict, EvaluationProtocol)):
        specs = [specs]
    protocols = [resolve_protocol(s) for s in specs]
    if not protocols:
        raise ValueError('at least one evaluation protocol is needed')
    names = [p.name for p in protocols]
    if len(set(names)) != len(names):
        raise ValueError(f'evaluation protocol names must differ, got {names}')
    return protocols
