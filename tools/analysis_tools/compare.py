"""Compare deblurring models side by side on one dataset through the same test path.

    python tools/analysis_tools/compare.py --data-root data/demo_gopro --out-dir work_dirs/compare \
        --method FST configs/fst_demo.py FST_CKPT \
        --method EDVR configs/edvr_deblur/edvr-deblur-wotsa-s_1xb4-900i_demo.py EDVR_CKPT \
        --method STFAN configs/stfan/stfan-s_1xb4-900i_demo.py STFAN_CKPT

For every method: ``tools/test.py`` (every test frame, RGB PSNR/SSIM under each
``--protocol``, default ``full``; ``--protocol full cdvd_tsp`` adds the published tables'
protocol beside ours) with the dataset root overridden, then parameters, MACs, seconds and
peak memory per output frame at the test frame size (or ``--efficiency-size H W``, e.g.
720 1280). ``--suite SUITE_JSON`` adds each method's mean gain over the sources of a
``generalization_suite.py`` run (same method names) as a column, and the cost plots then
show that gain instead of the test set's PSNR. Writes to --out-dir:
  comparison.md / comparison.csv   one row per method (+ the blurry input)
  per_sequence.csv                 PSNR per sequence and method
  per_sequence_psnr.png            the same as a bar chart
  psnr_vs_gmacs.png                one point per method: score against GMACs per frame
  psnr_vs_seconds.png              the same against seconds per frame
  grids/<sequence>__<frame>.png    blurry | methods | sharp, with a zoomed crop row
  comparison.json                  everything above as numbers
"""
import argparse
import csv
import json
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--method', nargs=3, action='append', required=True,
                        metavar=('NAME', 'CONFIG', 'CHECKPOINT'), help='repeat per method')
    parser.add_argument('--data-root', required=True, help='GOPRO-layout dataset root')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--grid-frames', type=int, default=4,
                        help='image grids for this many test frames (spread over sequences)')
    parser.add_argument('--device', default='cpu', help='device of the efficiency/grid runs')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load full training checkpoints (unpickling can run code from '
                        'the files; only for files you trust)')
    parser.add_argument('--protocol', nargs='+', default=['full'], metavar='NAME',
                        help='evaluation protocol(s) reported side by side, e.g. full '
                        'cdvd_tsp (the first one gives the per-sequence table and grids)')
    parser.add_argument('--skip-test', action='store_true',
                        help='reuse <out-dir>/<NAME>/scores.json from an earlier run')
    parser.add_argument('--efficiency-size', nargs=2, type=int, metavar=('H', 'W'),
                        help='frame size of the seconds/memory/MACs measurements (default: '
                        'the test frames\' size)')
    parser.add_argument('--suite', metavar='SUITE_JSON',
                        help='suite.json of tools/analysis_tools/generalization_suite.py '
                        'scored with the same method names: adds the mean gain over its '
                        'sources, which the cost plots then show')
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
                        help='config overrides for every method (passed on to test.py), e.g. '
                        'test_dataloader.dataset.target_interval=4 to score every 4th frame')
    args = parser.parse_args(argv)
    names = [m[0] for m in args.method]
    if len(set(names)) != len(names):
        parser.error(f'method names must differ: {names}')
    for name, config, ckpt in args.method:
        for path, what in ((config, 'config'), (ckpt, 'checkpoint')):
            if not osp.isfile(path):
                parser.error(f'{name}: {what} {path} does not exist')
    if args.efficiency_size and min(args.efficiency_size) < 16:
        parser.error(f'--efficiency-size {args.efficiency_size}: frames of at least 16x16')
    args.suite_gains = (suite_mean_gains(args.suite, names, parser.error) if args.suite
                        else None)
    return args


def suite_mean_gains(path, names, error):
    """``{method: mean gain (dB)}`` of a generalization_suite.py ``suite.json`` for every
    compared method; ``error`` (the parser's) names the file and what it lacks."""
    if not osp.isfile(path):
        error(f'--suite {path} does not exist')
    try:
        with open(path) as f:
            gains = json.load(f)['mean_gain']
    except (ValueError, KeyError, TypeError) as e:
        error(f'--suite {path} is not a generalization_suite.py suite.json ({e!r})')
    missing = [n for n in names if n not in gains]
    if missing:
        error(f'--suite {path} has no scores for method(s) {missing}; it has '
              f'{sorted(gains)}')
    return {n: gains[n] for n in names}


def run_test(name, config, ckpt, data_root, out_dir, protocols, trust=False, cfg_options=()):
    """tools/test.py in a child process: exactly what a user runs."""
    work = osp.join(out_dir, name)
    os.makedirs(work, exist_ok=True)
    scores = osp.join(work, 'scores.json')
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'test.py'), config, ckpt, '--out', scores,
           '--work-dir', work, '--protocol', *protocols,
           '--cfg-options', f'test_dataloader.dataset.data_root={data_root}', *cfg_options]
    if trust:
        cmd.append('--trust-checkpoint')
    start = time.time()
    with open(osp.join(work, 'test_console.log'), 'w') as log:
        rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
    if rc != 0 or not osp.isfile(scores):
        sys.exit(f'compare.py: testing {name} failed (exit {rc}); see '
                 f'{osp.join(work, "test_console.log")}')
    return scores, time.time() - start


def test_methods(args):
    """Scores of every method: ``{name: dict(scores=<test.py JSON>, config, checkpoint)}``."""
    results = {}
    for i, (name, config, ckpt) in enumerate(args.method, 1):
        scores = osp.join(args.out_dir, name, 'scores.json')
        if not args.skip_test:
            print(f'[{i}/{len(args.method)}] {name}: testing {ckpt} on {args.data_root} ...',
                  flush=True)
            scores, seconds = run_test(name, config, ckpt, args.data_root, args.out_dir,
                                       args.protocol, args.trust_checkpoint, args.cfg_options)
            print(f'    done in {seconds:.0f} s', flush=True)
        with open(scores) as f:
            report = json.load(f)
        missing = [p for p in args.protocol if p not in protocol_reports(report)]
        if missing:
            sys.exit(f'compare.py: {scores} has no scores for protocol(s) {missing}; run '
                     'without --skip-test')
        results[name] = dict(scores=report, config=config, checkpoint=ckpt)
    return results


def protocol_reports(report):
    """``{protocol: dict(overall, per_sequence, num_frames, description)}`` of a test.py
    report (reports written before protocols existed hold ``full`` only)."""
    if 'protocols' in report:
        return report['protocols']
    return {'full': dict(overall=report['overall'], per_sequence=report['per_sequence'],
                         num_frames=report['num_frames'], description=report.get('protocol'))}


def parsed_cfg_options(options):
    """``KEY=VALUE`` strings as MMEngine's ``--cfg-options`` parses them."""
    from mmengine.config import DictAction
    parsed = argparse.Namespace(options={})
    if options:
        DictAction(option_strings=[], dest='options')(None, parsed, list(options))
    return parsed.options


def load_methods(args):
    """Each method's model and test dataset, built from its config; the test frame size."""
    import cv2
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmagic.registry import DATASETS
    from fst_plugin.apis import load_model
    models, datasets = {}, {}
    overrides = parsed_cfg_options(args.cfg_options)
    for name, config, ckpt in args.method:
        cfg = Config.fromfile(config)
        cfg.merge_from_dict(overrides)
        init_default_scope(cfg.get('default_scope', 'mmagic'))
        ds_cfg = cfg.test_dataloader.dataset
        ds_cfg.data_root = args.data_root
        datasets[name] = DATASETS.build(ds_cfg)
        models[name] = load_model(cfg, ckpt, args.device,
                                  trust_checkpoint=args.trust_checkpoint)
    first = datasets[args.method[0][0]].get_data_info(0)['img_path'][0]
    h, w = cv2.imread(first).shape[:2]
    return models, datasets, (h, w)


def measure_methods(results, models, datasets, size, device):
    """Parameters, MACs, seconds and peak memory per output frame at the test frame size,
    one output frame in each network's natural mode (stored in ``results``)."""
    from fst_plugin.analysis import measure_network
    for name in results:
        t = datasets[name].num_input_frames  # not a whole test sequence's length
        print(f'measuring {name} at {size[0]}x{size[1]} ...', flush=True)
        results[name]['efficiency'] = measure_network(models[name].generator, t, size,
                                                      device=device)


def summary_rows(results, protocols, suite_gains=None):
    """One row per method plus the blurry input: PSNR/SSIM under every protocol (the first
    one unprefixed, the others as ``<protocol>/PSNR``), the suite's mean gain if given
    (``suite_gain_dB``) and the efficiency numbers."""
    def scores(report, kind):
        row = {}
        for i, p in enumerate(protocols):
            overall = protocol_reports(report)[p]['overall']
            prefix = '' if i == 0 else f'{p}/'
            row[prefix + 'PSNR'] = overall[kind + 'PSNR']
            row[prefix + 'SSIM'] = overall[kind + 'SSIM']
        return row
    first = next(iter(results.values()))['scores']
    rows = [dict(method='blurry input', **scores(first, 'input_'))]
    if suite_gains is not None:
        rows[0]['suite_gain_dB'] = 0.0
    for name, r in results.items():
        e = r['efficiency']
        gain = {} if suite_gains is None else dict(suite_gain_dB=suite_gains[name])
        rows.append(dict(method=name, **scores(r['scores'], ''), **gain,
                         params_M=e['params'] / 1e6, GMACs_per_frame=e['macs'] / 1e9,
                         seconds_per_frame=e['seconds'], peak_memory_MiB=e['peak_mb']))
    return rows


def write_summary(rows, results, protocols, args, size):
    """comparison.csv and the Markdown table lines (one PSNR/SSIM pair per protocol)."""
    from fst_plugin.analysis import MAC_RULES
    score_fields = [k for k in rows[0] if k != 'method']
    fields = ['method'] + score_fields + ['params_M', 'GMACs_per_frame', 'seconds_per_frame',
                                          'peak_memory_MiB']
    with open(osp.join(args.out_dir, 'comparison.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)

    def fmt(v, spec):
        return '' if v is None else format(v, spec)
    reports = protocol_reports(next(iter(results.values()))['scores'])
    described = '; '.join(f"{reports[p]['description'] or p} ({reports[p]['num_frames']} "
                          'frames)' for p in protocols)
    h, w = size
    suite = (f' Suite gain: mean gain in dB over the sources of `{args.suite}`.'
             if args.suite else '')
    headers = {'suite_gain_dB': 'suite mean gain (dB)'}
    specs = {'suite_gain_dB': '+.2f'}
    md = [f'Test set: `{args.data_root}`. Protocols: {described}. Efficiency per output frame '
          f'at {h}x{w} on {args.device} (MACs: {MAC_RULES}; recurrent STFAN: one step; '
          f'FST/EDVR: one T-frame window).{suite}', '',
          '| method | ' + ' | '.join(headers.get(k, f'{k} (dB)' if k.endswith('PSNR') else k)
                                     for k in score_fields)
          + ' | params (M) | GMACs / frame | s / frame | peak memory (MiB) |',
          '|---' * (len(score_fields) + 5) + '|']
    for r in rows:
        cells = [fmt(r[k], specs.get(k, '.2f' if k.endswith('PSNR') else '.4f'))
                 for k in score_fields]
        md.append(f"| {r['method']} | " + ' | '.join(cells) + ' | '
                  f"{fmt(r.get('params_M'), '.2f')} | {fmt(r.get('GMACs_per_frame'), '.1f')} | "
                  f"{fmt(r.get('seconds_per_frame'), '.3f')} | "
                  f"{fmt(r.get('peak_memory_MiB'), '.0f')} |")
    return md


def write_cost_plots(rows, out_dir, score_key, score_label):
    """psnr_vs_gmacs.png and psnr_vs_seconds.png: one labelled point per method (score
    against cost, log-scaled cost axis), the blurry input as a dashed line."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    written = []
    for cost_key, cost_label, name in (
            ('GMACs_per_frame', 'GMACs per output frame', 'psnr_vs_gmacs.png'),
            ('seconds_per_frame', 'seconds per output frame', 'psnr_vs_seconds.png')):
        points = [r for r in rows[1:] if r.get(cost_key)]
        if not points:
            continue
        fig, ax = plt.subplots(figsize=(5.2, 3.8))
        for r in points:
            ax.scatter(r[cost_key], r[score_key], s=36)
            ax.annotate(r['method'], (r[cost_key], r[score_key]), textcoords='offset points',
                        xytext=(5, 4), fontsize=8)
        ax.axhline(rows[0][score_key], color='grey', ls='--', lw=1, label=rows[0]['method'])
        ax.set_xscale('log')
        ax.set_xlabel(cost_label + ' (log scale)')
        ax.set_ylabel(score_label)
        ax.legend(fontsize=8, loc='lower right')
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(osp.join(out_dir, name), dpi=120)
        plt.close(fig)
        written.append(name)
    return written


def per_sequence_psnr(results, protocol):
    """``{sequence: {'blurry input': dB, method: dB, ...}}`` under ``protocol``."""
    tables = {n: protocol_reports(r['scores'])[protocol]['per_sequence']
              for n, r in results.items()}
    base = next(iter(tables.values()))
    return {seq: dict({'blurry input': base[seq]['input_PSNR']},
                      **{n: t[seq]['PSNR'] for n, t in tables.items()}) for seq in base}


def write_per_sequence(table, protocol, out_dir):
    """per_sequence.csv, per_sequence_psnr.png and the Markdown lines."""
    labels = list(next(iter(table.values())))
    md = ['', f'PSNR per sequence ({protocol}):', '',
          '| sequence | ' + ' | '.join(labels) + ' |', '|---' * (len(labels) + 1) + '|']
    with open(osp.join(out_dir, 'per_sequence.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['sequence'] + labels)
        for seq, vals in table.items():
            writer.writerow([seq] + [f'{vals[k]:.4f}' for k in labels])
            md.append(f'| {seq} | ' + ' | '.join(f'{vals[k]:.2f}' for k in labels) + ' |')

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    sequences = list(table)
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(sequences) * len(labels)), 3.6))
    width = 0.8 / len(labels)
    for j, label in enumerate(labels):
        ax.bar(np.arange(len(sequences)) + j * width, [table[s][label] for s in sequences],
               width, label=label)
    ax.set_xticks(np.arange(len(sequences)) + width * (len(labels) - 1) / 2, sequences,
                  rotation=20, fontsize=8)
    ax.set_ylabel('PSNR (dB)')
    ax.set_ylim(bottom=min(min(p.get_height() for p in ax.patches) - 1, 40))
    ax.legend(fontsize=8)
    ax.set_title(f'PSNR per test sequence ({protocol})')
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'per_sequence_psnr.png'), dpi=120)
    plt.close(fig)
    return md


def write_grids(results, models, datasets, size, args):
    """Image grids of frames spread over the sequences (each model on its own test
    sample); returns the chosen keys and the Markdown lines."""
    import cv2
    import numpy as np
    import torch
    from mmengine.dataset import pseudo_collate

    from fst_plugin.visualization import comparison_grid, most_blurred_box
    first = next(iter(results.values()))['scores']['per_frame']
    keys = [f['key'] for f in first]
    picks = [keys[int(i)] for i in np.linspace(0, len(keys) - 1, min(args.grid_frames,
                                                                    len(keys)))]
    grid_dir = osp.join(args.out_dir, 'grids')
    os.makedirs(grid_dir, exist_ok=True)
    md = ['', 'Image grids (blurry | ' + ' | '.join(results) + ' | sharp; bottom row: the '
          'region where the input is most blurred, x3):', '']
    sequence_outputs = {}  # whole-sequence samples run once per (method, sequence)

    def restored(name, key):
        """``(pred, blurry, sharp)`` images of one test frame, as the test scored it."""
        ds = datasets[name]
        if ds.window == 'sequence':
            seq, frame = key.rsplit('/', 1)
            if (name, seq) not in sequence_outputs:
                idx = next(i for i in range(len(ds)) if ds.get_data_info(i)['key'] == seq)
                with torch.no_grad():
                    sequence_outputs[name, seq] = models[name].val_step(
                        pseudo_collate([ds[idx]]))[0]
            out = sequence_outputs[name, seq]
            i = out.metainfo['frame'].index(frame)
            images = out.output.pred_img[i], out.blurry_img[i], out.gt_img[i]
        else:
            idx = next(i for i in range(len(ds)) if ds.get_data_info(i)['key'] == key)
            with torch.no_grad():
                out = models[name].val_step(pseudo_collate([ds[idx]]))[0]
            images = out.output.pred_img, out.blurry_img, out.gt_img
        return [x.clamp(0, 255).round().byte().permute(1, 2, 0).numpy() for x in images]

    for key in picks:
        tiles, blurry, sharp = [], None, None
        for name in results:
            pred, method_blurry, method_sharp = restored(name, key)
            if blurry is None:
                blurry, sharp = method_blurry, method_sharp
            psnr = next(f['PSNR'] for f in results[name]['scores']['per_frame']
                        if f['key'] == key)
            tiles.append((f'{name} {psnr:.2f} dB', pred))
        frame = next(f for f in first if f['key'] == key)
        tiles = [(f"blurry {frame['input_PSNR']:.2f} dB", blurry)] + tiles + [('sharp', sharp)]
        box = most_blurred_box(blurry, sharp, max(16, min(size) // 4))
        path = osp.join(grid_dir, key.replace('/', '__') + '.png')
        cv2.imwrite(path, cv2.cvtColor(comparison_grid(tiles, box), cv2.COLOR_RGB2BGR))
        md.append(f'![{key}](grids/{osp.basename(path)})')
    return picks, md


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    import fst_plugin  # noqa: F401
    from fst_plugin.analysis import MAC_RULES

    results = test_methods(args)
    models, datasets, size = load_methods(args)
    cost_size = tuple(args.efficiency_size) if args.efficiency_size else size
    measure_methods(results, models, datasets, cost_size, args.device)
    rows = summary_rows(results, args.protocol, args.suite_gains)
    md = write_summary(rows, results, args.protocol, args, cost_size)
    plots = write_cost_plots(rows, args.out_dir, *(
        ('PSNR', f'PSNR (dB), {args.protocol[0]}') if args.suite_gains is None else
        ('suite_gain_dB', 'mean gain over the suite\'s sources (dB)')))
    md += [''] + [f'![{p}]({p})' for p in plots]
    table = per_sequence_psnr(results, args.protocol[0])
    md += write_per_sequence(table, args.protocol[0], args.out_dir)
    picks, grid_md = write_grids(results, models, datasets, size, args)
    md += grid_md

    with open(osp.join(args.out_dir, 'comparison.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    with open(osp.join(args.out_dir, 'comparison.json'), 'w') as f:
        json.dump(dict(data_root=args.data_root, frame_size=list(size),
                       efficiency_size=list(cost_size), suite=args.suite, device=args.device,
                       mac_rules=MAC_RULES, protocols=args.protocol, table=rows,
                       per_sequence={p: per_sequence_psnr(results, p) for p in args.protocol},
                       grids=picks), f, indent=1)
    print('\n'.join(md[:len(rows) + 4]))
    print(f'\nwritten to {args.out_dir}: comparison.md/.csv/.json, per_sequence.csv, '
          f'per_sequence_psnr.png, {", ".join(plots)}, grids/ ({len(picks)} images)')


if __name__ == '__main__':
    main()
