"""Score models on a suite of test sources, each on its own, beside the input and a tuned
unsharp mask.

    python tools/analysis_tools/generalization_suite.py --out-dir work_dirs/suite --suite unseen \
        --method shipped configs/fst/fst-local-path_1xb4-850i_footage.py \
        fst_plugin/model_zoo/fst_footage.safetensors
    python tools/analysis_tools/generalization_suite.py --out-dir work_dirs/suite \
        --source cup data/footage_gopro --source tree_bikes data/footage_val_unseen \
        --source mate_640x360 data/photo_test/mate_640x360_camera \
        --method before configs/fst/fst-local-path_1xb4-850i_footage.py OLD.safetensors \
        --method after configs/fst/fst-local-path_1xb4-850i_footage.py NEW.safetensors

``--suite unseen`` scores every source no training reads, ``--suite validation`` the sets made
from training sources (``fst_plugin/evaluation/suites.py``; build them first with
``tools/dataset_converters/synthesize_suite.py``). Every model runs through tools/test.py
(every frame, RGB, float output) with the source's root; scores are cached per model and
source in --out-dir (a rerun only scores what is new). The unsharp mask is tuned on each
source's own frames (sigma and amount by grid search), an upper bound for a sharpening
filter. Writes suite.md and suite.json: one row per source, PSNR and the gain over the input
per column, and the mean gain over sources.

``--grids`` adds one before/after image per source (grids/<source>.png, listed in grids.md):
the middle frame of the source's most blurred sequence, chosen before any model runs,
blurry | tuned unsharp mask | methods | sharp, with a zoomed crop where the blur is worst.
``--real-blur NAME VIDEO`` (repeatable) adds the same for a video without sharp frames
(real camera blur): its least sharp frame away from the ends, blurry | methods.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    from fst_plugin.evaluation.suites import TEST_SUITES
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--source', nargs=2, action='append', default=[],
                        metavar=('NAME', 'DATA_ROOT'), help='a test source (GOPRO layout)')
    parser.add_argument('--suite', action='append', default=[], choices=sorted(TEST_SUITES),
                        help="every source of a named suite: 'unseen' (the model zoo's "
                        "table) or 'validation' (training sources only); built by "
                        'tools/dataset_converters/synthesize_suite.py')
    parser.add_argument('--method', nargs=3, action='append', default=[],
                        metavar=('NAME', 'CONFIG', 'WEIGHTS'), help='a model to score')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--no-unsharp', action='store_true', help='skip the unsharp mask')
    parser.add_argument('--grids', action='store_true',
                        help='write a before/after grid of one frame per source')
    parser.add_argument('--real-blur', nargs=2, action='append', default=[],
                        metavar=('NAME', 'VIDEO'),
                        help='also a grid of the least sharp frame of a video without sharp '
                        'frames (with --grids)')
    args = parser.parse_args(argv)
    args.source = [[s.name, s.data_root] for name in args.suite
                   for s in TEST_SUITES[name]] + args.source
    if not args.source:
        parser.error('give --suite NAME or --source NAME DATA_ROOT')
    if args.real_blur and not args.grids:
        parser.error('--real-blur needs --grids')
    return args


def weights_id(path):
    from fst_plugin.datasets.footage import sha256_of
    return sha256_of(path)[:16]


def score_model(name, config, weights, source, data_root, out_dir):
    """tools/test.py's overall scores of one model on one source (cached)."""
    cache = osp.join(out_dir, 'scores', f'{name}__{source}.json')
    wid = weights_id(weights)
    if osp.isfile(cache):
        with open(cache) as f:
            cached = json.load(f)
        if cached.get('weights_id') == wid and cached.get('data_root') == data_root:
            return cached
    work = osp.join(out_dir, 'runs', f'{name}__{source}')
    os.makedirs(work, exist_ok=True)
    report = osp.join(work, 'scores.json')
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'test.py'), config, weights, '--work-dir',
           work, '--out', report, '--cfg-options',
           f'test_dataloader.dataset.data_root={data_root}']
    print(f'== {name} on {source} ({data_root})', flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'tools/test.py failed for {name} on {source}:\n'
                           f'{proc.stdout[-2000:]}{proc.stderr[-2000:]}')
    with open(report) as f:
        overall = json.load(f)['overall']
    result = dict(overall, weights_id=wid, data_root=data_root)
    os.makedirs(osp.dirname(cache), exist_ok=True)
    with open(cache, 'w') as f:
        json.dump(result, f, indent=1)
    return result


def score_unsharp(source, data_root, out_dir):
    from fst_plugin.evaluation.unsharp_mask import read_pairs, tune_unsharp_mask
    cache = osp.join(out_dir, 'scores', f'unsharp__{source}.json')
    if osp.isfile(cache):
        with open(cache) as f:
            cached = json.load(f)
        if cached.get('data_root') == data_root:
            return cached
    result = dict(tune_unsharp_mask(read_pairs(data_root)), data_root=data_root)
    os.makedirs(osp.dirname(cache), exist_ok=True)
    with open(cache, 'w') as f:
        json.dump(result, f, indent=1)
    return result


def write_tables(rows, methods, out_dir, unsharp):
    columns = (['unsharp mask (tuned)'] if unsharp else []) + [m[0] for m in methods]
    lines = ['| source | input PSNR | ' + ' | '.join(columns) + ' |',
             '|---|---|' + '---|' * len(columns)]
    gains = {c: [] for c in columns}
    for source, row in rows.items():
        cells = []
        for c in columns:
            gain = row[c]['PSNR'] - row['input_PSNR']
            gains[c].append(gain)
            cells.append(f'{row[c]["PSNR"]:.2f} ({gain:+.2f})')
        lines.append(f'| {source} | {row["input_PSNR"]:.2f} | ' + ' | '.join(cells) + ' |')
    means = [f'{sum(g) / len(g):+.2f}' for g in gains.values()]
    lines.append('| **mean gain over sources** | | ' + ' | '.join(f'**{m}**' for m in means)
                 + ' |')
    table = '\n'.join(lines)
    with open(osp.join(out_dir, 'suite.md'), 'w') as f:
        f.write('PSNR (dB) per source, gain over the blurry input in brackets; every frame, '
                'RGB.\n\n' + table + '\n')
    with open(osp.join(out_dir, 'suite.json'), 'w') as f:
        json.dump(dict(rows=rows, mean_gain={c: sum(g) / len(g) for c, g in gains.items()}),
                  f, indent=1)
    return table


def write_grids(rows, args):
    """grids/<source>.png per source and per --real-blur video, and grids.md listing them."""
    import itertools

    import cv2

    from fst_plugin.apis import VideoDeblurInferencer
    from fst_plugin.utils.video_io import iter_frames
    from fst_plugin.visualization import grid_of_source, grid_of_video

    def restorer(inferencer):
        def restore(frames, index):  # stops once frame ``index`` is out
            return next(itertools.islice(inferencer(frames), index, None))
        return restore

    inferencers = [(name, VideoDeblurInferencer(config, weights, device='cpu', dtype='fp32',
                                                tile=None, log=lambda msg: None))
                   for name, config, weights in args.method]
    methods = [(name, restorer(inf)) for name, inf in inferencers]
    radius = max([inf.num_frames // 2 for _, inf in inferencers], default=0)
    grid_dir = osp.join(args.out_dir, 'grids')
    os.makedirs(grid_dir, exist_ok=True)
    columns = ([] if args.no_unsharp else ['tuned unsharp mask']) + [m[0] for m in args.method]
    md = ['One frame per source, chosen before any model ran: the middle frame of the '
          "source's most blurred sequence (lowest input PSNR). Columns: blurry | "
          + ' | '.join(columns) + ' | sharp; PSNR of this frame '
          '(8-bit output); bottom row: where the input is most blurred, zoomed.', '']
    for source, data_root in args.source:
        unsharp = rows[source].get('unsharp mask (tuned)')
        params = (unsharp['sigma'], unsharp['amount']) if unsharp else None
        grid, info = grid_of_source(data_root, methods, radius, params)
        cv2.imwrite(osp.join(grid_dir, f'{source}.png'), cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        scores = ', '.join(f'{k} {v:.2f}' for k, v in info['psnr'].items())
        md += [f'**{source}** ({info["sequence"]}, frame {info["frame"]}; dB: {scores})', '',
               f'![{source}](grids/{source}.png)', '']
        print(f'grid of {source}: {info["sequence"]}/{info["frame"]}')
    for name, video in args.real_blur:
        grid, info = grid_of_video(list(iter_frames(video)), methods, radius)
        cv2.imwrite(osp.join(grid_dir, f'{name}.png'), cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        md += [f'**{name}**: real camera blur, no sharp frame ({video}, frame {info["frame"]}, '
               'the least sharp one by the variance of the Laplacian); columns: blurry | '
               + ' | '.join(m[0] for m in args.method) + '; bottom row: where the last '
               'column changed the frame most, zoomed.', '', f'![{name}](grids/{name}.png)', '']
        print(f'grid of {name}: frame {info["frame"]}')
    with open(osp.join(args.out_dir, 'grids.md'), 'w') as f:
        f.write('\n'.join(md))


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    rows = {}
    for source, data_root in args.source:
        if not osp.isdir(osp.join(data_root, 'test')):
            raise FileNotFoundError(f'--source {source}: {data_root}/test does not exist (the '
                                    'suites are built by tools/dataset_converters/'
                                    'synthesize_suite.py)')
        row = {}
        if not args.no_unsharp:
            row['unsharp mask (tuned)'] = score_unsharp(source, data_root, args.out_dir)
            row['input_PSNR'] = row['unsharp mask (tuned)']['input_PSNR']
        for name, config, weights in args.method:
            row[name] = score_model(name, config, weights, source, data_root, args.out_dir)
            row.setdefault('input_PSNR', row[name]['input_PSNR'])
        rows[source] = row
    print(write_tables(rows, args.method, args.out_dir, not args.no_unsharp))
    print(f'written to {args.out_dir}: suite.md, suite.json')
    if args.grids:
        write_grids(rows, args)
        print(f'written to {args.out_dir}: grids.md, grids/')
    return 0


if __name__ == '__main__':
    sys.exit(main())
