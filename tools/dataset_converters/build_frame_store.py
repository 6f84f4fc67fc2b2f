"""Decode a GOPRO-layout dataset once into a frame store that training crops without decoding.

    python tools/dataset_converters/build_frame_store.py data/GOPRO_Large data/GOPRO_Large_store \
        [--splits train test] [--blur-types blur blur_gamma]
    python tools/train.py configs/fst/fst_1xb8-1000e_gopro-store.py

Every frame folder of every sequence becomes one uint8 RGB ``.npy`` array that the data
loader memory-maps (see fst_plugin/datasets/frame_store.py); GOPRO_Large's train and test
splits with blur, blur_gamma and sharp take ~31 GB (1280x720x3 bytes per frame). A build
that stops can be rerun: complete sequences are skipped. The PNG tree is kept and stays the
source of the frame listing.
"""
import argparse
import os
import os.path as osp
import shutil
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data_root', help='dataset as distributed, e.g. data/GOPRO_Large')
    parser.add_argument('store_root', help='where to write the store')
    parser.add_argument('--splits', nargs='+', default=None,
                        help='default: train and test where present')
    parser.add_argument('--blur-types', nargs='+', default=['blur', 'blur_gamma'],
                        choices=['blur', 'blur_gamma'])
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.data_root):
        sys.exit(f'build_frame_store.py: {args.data_root} is not a folder')
    splits = args.splits or [s for s in ('train', 'test')
                             if osp.isdir(osp.join(args.data_root, s))]
    if not splits:
        sys.exit(f'build_frame_store.py: {args.data_root} has no train or test folder')
    from fst_plugin.datasets import build_frame_store
    needed = 0
    for split in splits:
        for seq in os.listdir(osp.join(args.data_root, split)):
            folder = osp.join(args.data_root, split, seq, 'sharp')
            if osp.isdir(folder):
                needed += len(os.listdir(folder)) * (1 + len(args.blur_types))
    os.makedirs(args.store_root, exist_ok=True)
    free = shutil.disk_usage(args.store_root).free
    print(f'{needed} frames to store from {args.data_root} ({", ".join(splits)}); '
          f'{free / 2**30:.1f} GiB free at {args.store_root}', flush=True)
    try:
        counts = build_frame_store(args.data_root, args.store_root, splits=splits,
                                   blur_types=args.blur_types,
                                   log=lambda m: print(m, flush=True))
    except (ValueError, FileNotFoundError, OSError) as err:
        sys.exit(f'build_frame_store.py: {err}')
    print(f'done: {counts["frames"]} frames decoded in {counts["sequences"]} sequences, '
          f'{counts["skipped"]} sequences already stored; train with '
          f'train_dataloader.dataset.frame_store={args.store_root} '
          '(configs/fst/fst_1xb8-1000e_gopro-store.py)')


if __name__ == '__main__':
    main()
