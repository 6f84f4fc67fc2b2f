"""Build the test suites the shipped weights are chosen and reported on.

    python tools/dataset_converters/synthesize_suite.py [--suite unseen validation] [--dry-run]

Runs the synthesis command of every source of the named suites
(``fst_plugin/evaluation/suites.py``) whose folder has no test split yet; an existing
source is kept as it is (never overwritten). Needs the fetched clips and photographs
(``fetch_footage.py``, ``fetch_photos.py``). ``--dry-run`` prints the commands only.
"""
import argparse
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    from fst_plugin.evaluation.suites import TEST_SUITES
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--suite', nargs='+', choices=sorted(TEST_SUITES),
                        default=sorted(TEST_SUITES), help='suites to build (default: all)')
    parser.add_argument('--dry-run', action='store_true', help='print the commands only')
    return parser.parse_args(argv)


def main(argv=None):
    from fst_plugin.evaluation.suites import suite_sources
    args = parse_args(argv)
    sources = [s for name in args.suite for s in suite_sources(name)]
    start = time.time()
    for i, source in enumerate(sources, 1):
        command = [sys.executable, source.tool] + source.args
        shown = ' '.join(['python'] + command[1:])
        if args.dry_run:
            print(shown)
            continue
        if osp.isdir(osp.join(ROOT, source.data_root, 'test')):
            print(f'[{i}/{len(sources)}] {source.name}: {source.data_root}/test exists, kept')
            continue
        print(f'[{i}/{len(sources)}] {source.name}: {shown}', flush=True)
        proc = subprocess.run(command, cwd=ROOT)
        if proc.returncode != 0:
            sys.exit(f'synthesize_suite.py: building {source.name} failed '
                     f'(exit {proc.returncode}): {shown}')
    if not args.dry_run:
        print(f'{len(sources)} sources ready in {time.time() - start:.0f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
