"""Build a GOPRO-layout training/test set from real footage (see tools/dataset_converters/fetch_footage.py).

    python tools/dataset_converters/synthesize_footage.py [--footage data/footage] [--out data/footage_gopro]
        [--held-out cup] [--seed 0] [--size 320x240] [--frames 20] [--seqs-per-clip 6]

Training sequences come from every fetched clip except the held-out ones, mixing
camera-motion blur of real frames (smooth random trajectories at a high virtual frame rate,
mild to strong), direct averaging of real frames, and procedural scenes; the test split is
made from the held-out clips only. Every choice is recorded in synthesis_meta.json.
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

from fst_plugin.datasets.footage import split_footage  # noqa: E402
from fst_plugin.datasets.synthesis import parse_size, synthesize_footage_dataset  # noqa: E402
from fst_plugin.datasets.synthesis.procedural import TEXTURES  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--footage', default=osp.join(ROOT, 'data', 'footage'),
                        help='folder made by tools/dataset_converters/fetch_footage.py (footage.json inside)')
    parser.add_argument('--out', default=osp.join(ROOT, 'data', 'footage_gopro'))
    parser.add_argument('--held-out', nargs='+', default=None, metavar='NAME',
                        help='clips kept out of training (default: those footage.json '
                        'marks held_out, i.e. cup)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--size', default='320x240', help='output WxH')
    parser.add_argument('--frames', type=int, default=20, help='frames per train sequence')
    parser.add_argument('--test-frames', type=int, default=12, help='frames per test sequence')
    parser.add_argument('--seqs-per-clip', type=int, default=6)
    parser.add_argument('--procedural', type=int, default=6, help='procedural sequences')
    parser.add_argument('--procedural-texture', choices=TEXTURES, default='shapes',
                        help="procedural scenes' canvas: 'shapes' (colour noise, shapes, text) "
                        "or 'natural' (dead leaves with depth-of-field defocus, which the "
                        "sharp frames keep)")
    parser.add_argument('--blur-px', nargs=2, type=float, metavar=('LOW', 'HIGH'),
                        default=None, help='camera path per exposure, log-uniform '
                        '(default 2 28)')
    parser.add_argument('--camera-share', type=float, default=None,
                        help='share of camera-mode footage sequences (default 0.75)')
    parser.add_argument('--test-seqs', nargs='+', default=None, metavar='MODE:MAGNITUDE',
                        help='test sequences per held-out clip, e.g. average:2 camera:6 '
                        '(default: camera:6 camera:10 camera:16 camera:24 average:3); '
                        'repeated average:N sequences of one clip take distinct windows, and '
                        'one a short clip has no window left for is skipped (logged)')
    parser.add_argument('--splits', nargs='+', default=['train', 'test'],
                        choices=['train', 'test'],
                        help='write only these splits (test alone needs only the held-out '
                        'clips)')
    return parser.parse_args(argv)


def parse_test_seqs(items):
    """['average:3', 'camera:6'] -> (('average', 3), ('camera', 6.0))."""
    seqs = []
    for item in items:
        mode, _, magnitude = item.partition(':')
        if mode not in ('camera', 'average') or not magnitude:
            raise ValueError(f'--test-seqs: {item!r} is not camera:<px> or average:<frames>')
        try:
            value = float(magnitude) if mode == 'camera' else int(magnitude)
        except ValueError:
            raise ValueError(f'--test-seqs: {item!r} has no number after the colon') from None
        if value <= 0 or (mode == 'average' and value < 2):
            raise ValueError(f'--test-seqs: {item!r}: camera needs > 0 px, average >= 2 frames')
        seqs.append((mode, value))
    return tuple(seqs)


def main(argv=None):
    args = parse_args(argv)
    try:
        train, test = split_footage(args.footage, args.held_out)
    except (FileNotFoundError, ValueError) as err:
        sys.exit(f'synthesize_footage.py: {err}')
    if 'train' not in args.splits:
        train = []
    missing = [p for p in train + test if not osp.isfile(p)]
    if missing:
        sys.exit(f'synthesize_footage.py: missing clips {missing}; rerun tools/dataset_converters/fetch_footage.py')
    try:
        size = parse_size(args.size)
        test_seqs = parse_test_seqs(args.test_seqs) if args.test_seqs else None
        synthesize_footage_dataset(
            args.out, train, test, seed=args.seed, splits=args.splits,
            recipe=dict(size=size, frames_per_seq=args.frames,
                        **({'blur_px': tuple(args.blur_px)} if args.blur_px else {}),
                        **({'camera_share': args.camera_share}
                           if args.camera_share is not None else {}),
                        **({'test': test_seqs} if test_seqs else {}),
                        test_frames_per_seq=args.test_frames,
                        train_seqs_per_clip=args.seqs_per_clip,
                        procedural_seqs=args.procedural,
                        procedural_texture=args.procedural_texture))
    except (ValueError, OSError) as err:
        sys.exit(f'synthesize_footage.py: {err}')


if __name__ == '__main__':
    main()
