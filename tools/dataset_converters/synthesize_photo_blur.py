"""Write GOPRO-layout sequences of photographs blurred by a moving camera (validation, test).

    python tools/dataset_converters/synthesize_photo_blur.py --role held_out --sources mate \
        --size 640x360 --out data/photo_test/mate_640x360_camera
    python tools/dataset_converters/synthesize_photo_blur.py --role held_out --sources plasma \
        --size 1280x720 --blur-px 20 50 --max-photos 4 --out data/photo_test/plasma_1280x720
    python tools/dataset_converters/synthesize_photo_blur.py --role train --seed 11 \
        --size 320x240 --out data/photo_val          # validation from the training sources

One sequence per photograph, every frame with its sharp frame. --mode camera is the
project's synthesis (dense sub-frames in linear light, noise, highlights, JPEG);
--mode average averages 7 sharp frames along the path in sRGB values, without noise.
--kind still repeats one blurred exposure (each copy its own noise) in every frame:
    python tools/dataset_converters/synthesize_photo_blur.py --role held_out --sources mate \
        --kind still --seed 23 --out data/photo_test/mate_640x360_still
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--photos', default='data/photos/photos.json', help='photo index')
    parser.add_argument('--role', choices=['train', 'held_out'], required=True)
    parser.add_argument('--sources', nargs='+', help='only these sources of the role')
    parser.add_argument('--out', required=True, help='dataset root to write')
    parser.add_argument('--size', default='640x360', help='WIDTHxHEIGHT')
    parser.add_argument('--mode', choices=['camera', 'average'], default='camera')
    parser.add_argument('--kind', choices=['moving', 'still'], default='moving',
                        help="still: one blurred exposure repeated (only the image content "
                        "can be deblurred)")
    parser.add_argument('--frames', type=int, default=5, help='frames per sequence (odd)')
    parser.add_argument('--blur-px', type=float, nargs=2, default=(4.0, 32.0),
                        metavar=('MIN', 'MAX'), help='camera path per exposure, pixels')
    parser.add_argument('--max-photos', type=int, help='at most this many photos per source')
    parser.add_argument('--split', default='test')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.datasets.synthesis.photo_sequences import (parse_size, select_photos,
                                                               write_photo_sequences)
    photos = select_photos(args.photos, args.role, args.sources)
    meta = write_photo_sequences(args.out, photos, parse_size(args.size), mode=args.mode,
                                 frames_per_seq=args.frames, blur_px=args.blur_px,
                                 max_photos=args.max_photos, split=args.split, seed=args.seed,
                                 kind=args.kind)
    print(f'{len(meta["sequences"])} sequences in {osp.join(args.out, args.split)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
