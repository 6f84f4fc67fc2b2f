"""Check a GOPRO/DVD/BSD-layout dataset file by file before training on it.

    python tools/dataset_converters/check_dataset.py data/GOPRO_Large                     # train and test
    python tools/dataset_converters/check_dataset.py data/my_videos --split train --crop 256 --num-frames 5

Lists every problem with the sequence and file it concerns and exits with status 1 when
there is an error (see fst_plugin/datasets/dataset_checker.py for what is checked).
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Check a paired video deblurring dataset')
    parser.add_argument('data_root')
    parser.add_argument('--split', nargs='+', default=None,
                        help='splits to check (default: train and test where present; '
                        'none for DVD)')
    parser.add_argument('--preset', default='gopro', choices=['gopro', 'dvd', 'bsd'])
    parser.add_argument('--blur-type', default='blur', choices=['blur', 'blur_gamma'])
    parser.add_argument('--num-frames', type=int, default=5, help='clip length T')
    parser.add_argument('--crop', type=int, default=None, help='training crop size')
    parser.add_argument('--no-decode', action='store_true', help='layout checks only')
    parser.add_argument('--json', help='also write the report here')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.data_root):
        sys.exit(f'check_dataset.py: {args.data_root} is not a folder')
    from fst_plugin.datasets.dataset_checker import check_dataset
    splits = args.split
    if splits is None:
        splits = [None] if args.preset == 'dvd' else [
            s for s in ('train', 'valid', 'test') if osp.isdir(osp.join(args.data_root, s))] or [
                'train']
    reports = {}
    for split in splits:
        start = time.time()

        def progress(done, total, seq, split=split, start=start):
            if done == total or done % 50 == 0:
                rate = done / max(time.time() - start, 1e-6)
                print(f'\r[{split}] {done}/{total} frame pairs ({rate:.0f}/s) {seq:<30}',
                      end='' if done < total else '\n', flush=True)
        reports[split or '.'] = check_dataset(
            args.data_root, split=split, preset=args.preset, blur_type=args.blur_type,
            num_frames=args.num_frames, crop_size=args.crop, decode=not args.no_decode,
            progress=progress)
    n_err = 0
    for split, r in reports.items():
        print(f'== {args.data_root} [{split}]: {r["sequences"]} sequences, {r["frames"]} '
              f'frames: {len(r["errors"])} errors, {len(r["warnings"])} warnings')
        for kind in ('errors', 'warnings', 'notes'):
            for line in r[kind]:
                print(f'  {kind[:-1].upper():7s} {line}')
        n_err += len(r['errors'])
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(reports, f, indent=1)
    print('OK: no errors' if n_err == 0 else f'FAILED: {n_err} errors')
    sys.exit(1 if n_err else 0)


if __name__ == '__main__':
    main()
