"""Synthesize a GOPRO_Large-layout deblurring dataset, the way GOPRO was made.

Each blurry frame averages n consecutive high-frame-rate sharp frames (n drawn per
sequence from --avg-range): directly for ``blur``, in linear space (gamma 2.2) for
``blur_gamma``; the sharp frame is the window's middle frame; windows do not overlap.

Examples:
    # no download needed: procedural scenes with camera shake and moving objects
    python tools/dataset_converters/synthesize_gopro.py --out data/GOPRO_Large
    python tools/dataset_converters/synthesize_gopro.py --out data/demo_gopro --size 256x256 --train 4 --test 2
    # from your own high-frame-rate footage (video file or frame folder)
    python tools/dataset_converters/synthesize_gopro.py --source my_240fps.mp4 --out data/my_gopro --size source
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from fst_plugin.datasets.synthesis import parse_size, synthesize_gopro  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True, help='dataset root to create')
    parser.add_argument('--source', default='procedural',
                        help="'procedural', a video file or a folder of frames")
    parser.add_argument('--train', type=int, default=4, help='training sequences')
    parser.add_argument('--test', type=int, default=2, help='test sequences')
    parser.add_argument('--frames', type=int, default=20, help='frames per sequence')
    parser.add_argument('--size', default='1280x720', help="WxH, or 'source' to keep it")
    parser.add_argument('--avg-range', type=int, nargs=2, default=(7, 13), metavar=('LOW', 'HIGH'),
                        help='inclusive range of frames averaged per blurry frame')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--shake', type=float, default=3.0,
                        help='camera speed of the procedural source (smaller: milder blur)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        size = parse_size(args.size)
        if args.source == 'procedural' and size is None:
            raise ValueError("--size source needs a video or frame-folder --source")
        synthesize_gopro(args.out, source=args.source, num_train=args.train, num_test=args.test,
                         frames_per_seq=args.frames, size=size,
                         avg_range=tuple(args.avg_range), seed=args.seed, shake=args.shake)
    except (ValueError, FileNotFoundError, FileExistsError) as err:
        sys.exit(f'synthesize_gopro: {err}')


if __name__ == '__main__':
    main()
