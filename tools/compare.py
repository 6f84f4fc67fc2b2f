"""Compare deblurring models side by side on one dataset through the same test path.

    python tools/compare.py --data-root data/demo_gopro --out-dir work_dirs/compare \
        --method FST configs/fst_demo.py work_dirs/fst_demo/iter_900.pth \
        --method EDVR configs/edvr_demo.py work_dirs/edvr_demo/iter_900.pth \
        --method STFAN configs/stfan_demo.py work_dirs/stfan_demo/iter_900.pth

For every method: ``tools/test.py`` (every test frame, RGB full-frame PSNR/SSIM) with the
dataset root overridden, then parameters, MACs, seconds and peak memory per output frame
at the test frame size. Writes to --out-dir:
  comparison.md / comparison.csv   one row per method (+ the blurry input)
  per_sequence.csv                 PSNR per sequence and method
  per_sequence_psnr.png            the same as a bar chart
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

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
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
    parser.add_argument('--skip-test', action='store_true',
                        help='reuse <out-dir>/<NAME>/scores.json from an earlier run')
    args = parser.parse_args(argv)
    names = [m[0] for m in args.method]
    if len(set(names)) != len(names):
        parser.error(f'method names must differ: {names}')
    for name, config, ckpt in args.method:
        for path, what in ((config, 'config'), (ckpt, 'checkpoint')):
            if not osp.isfile(path):
                parser.error(f'{name}: {what} {path} does not exist')
    return args


def run_test(name, config, ckpt, data_root, out_dir, trust=False):
    """tools/test.py in a child process: exactly what a user runs."""
    work = osp.join(out_dir, name)
    os.makedirs(work, exist_ok=True)
    scores = osp.join(work, 'scores.json')
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'test.py'), config, ckpt, '--out', scores,
           '--work-dir', work, '--cfg-options', f'test_dataloader.dataset.data_root={data_root}']
    if trust:
        cmd.append('--trust-checkpoint')
    start = time.time()
    with open(osp.join(work, 'test_console.log'), 'w') as log:
        rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
    if rc != 0 or not osp.isfile(scores):
        sys.exit(f'compare.py: testing {name} failed (exit {rc}); see '
                 f'{osp.join(work, "test_console.log")}')
    return scores, time.time() - start


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    import numpy as np
    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    import fst_plugin  # noqa: F401
    from mmagic.registry import DATASETS
    from fst_plugin.apis import MAC_RULES, load_model, measure_network
    from fst_plugin.visualization import comparison_grid, most_blurred_box

    results = {}
    for i, (name, config, ckpt) in enumerate(args.method, 1):
        scores = osp.join(args.out_dir, name, 'scores.json')
        if not args.skip_test:
            print(f'[{i}/{len(args.method)}] {name}: testing {ckpt} on {args.data_root} ...',
                  flush=True)
            scores, seconds = run_test(name, config, ckpt, args.data_root, args.out_dir,
                                       args.trust_checkpoint)
            print(f'    done in {seconds:.0f} s', flush=True)
        with open(scores) as f:
            results[name] = dict(scores=json.load(f), config=config, checkpoint=ckpt)

    # efficiency at the test frame size, one output frame in each network's natural mode
    import cv2
    models, datasets = {}, {}
    for name, config, ckpt in args.method:
        cfg = Config.fromfile(config)
        init_default_scope(cfg.get('default_scope', 'mmagic'))
        ds_cfg = cfg.test_dataloader.dataset
        ds_cfg.data_root = args.data_root
        datasets[name] = DATASETS.build(ds_cfg)
        models[name] = load_model(cfg, ckpt, args.device,
                                  trust_checkpoint=args.trust_checkpoint)
    h, w = cv2.imread(datasets[args.method[0][0]].get_data_info(0)['img_path'][0]).shape[:2]
    for name, config, _ in args.method:
        net = models[name].generator
        t = len(datasets[name].get_data_info(0)['img_path'])
        print(f'measuring {name} at {h}x{w} ...', flush=True)
        results[name]['efficiency'] = measure_network(net, t, (h, w), device=args.device)

    # tables
    rows = []
    base = next(iter(results.values()))['scores']['overall']
    rows.append(dict(method='blurry input', PSNR=base['input_PSNR'], SSIM=base['input_SSIM']))
    for name, r in results.items():
        o, e = r['scores']['overall'], r['efficiency']
        rows.append(dict(method=name, PSNR=o['PSNR'], SSIM=o['SSIM'],
                         params_M=e['params'] / 1e6, GMACs_per_frame=e['macs'] / 1e9,
                         seconds_per_frame=e['seconds'], peak_memory_MiB=e['peak_mb']))
    fields = ['method', 'PSNR', 'SSIM', 'params_M', 'GMACs_per_frame', 'seconds_per_frame',
              'peak_memory_MiB']
    with open(osp.join(args.out_dir, 'comparison.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)

    def fmt(v, spec):
        return '' if v is None else format(v, spec)

    n_frames = next(iter(results.values()))['scores']['num_frames']
    md = [f'Test set: `{args.data_root}` ({n_frames} frames, RGB full-frame PSNR/SSIM). '
          f'Efficiency per output frame at {h}x{w} on {args.device} '
          f'(MACs: {MAC_RULES}; recurrent STFAN: one step; FST/EDVR: one T-frame window).',
          '', '| method | PSNR (dB) | SSIM | params (M) | GMACs / frame | s / frame | '
          'peak memory (MiB) |', '|---|---|---|---|---|---|---|']
    for r in rows:
        md.append(f"| {r['method']} | {r['PSNR']:.2f} | {r['SSIM']:.4f} | "
                  f"{fmt(r.get('params_M'), '.2f')} | {fmt(r.get('GMACs_per_frame'), '.1f')} | "
                  f"{fmt(r.get('seconds_per_frame'), '.3f')} | "
                  f"{fmt(r.get('peak_memory_MiB'), '.0f')} |")

    base_seq = next(iter(results.values()))['scores']['per_sequence']
    sequences = list(base_seq)
    with open(osp.join(args.out_dir, 'per_sequence.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['sequence', 'blurry input'] + list(results))
        md += ['', '| sequence | blurry input | ' + ' | '.join(results) + ' |',
               '|---' * (len(results) + 2) + '|']
        for seq in sequences:
            vals = [base_seq[seq]['input_PSNR']] + [
                r['scores']['per_sequence'][seq]['PSNR'] for r in results.values()]
            writer.writerow([seq] + [f'{v:.4f}' for v in vals])
            md.append(f'| {seq} | ' + ' | '.join(f'{v:.2f}' for v in vals) + ' |')

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(sequences) * (len(results) + 1)), 3.6))
    labels = ['blurry input'] + list(results)
    width = 0.8 / len(labels)
    for j, label in enumerate(labels):
        vals = [base_seq[s]['input_PSNR'] if j == 0 else
                results[label]['scores']['per_sequence'][s]['PSNR'] for s in sequences]
        ax.bar(np.arange(len(sequences)) + j * width, vals, width, label=label)
    ax.set_xticks(np.arange(len(sequences)) + width * (len(labels) - 1) / 2, sequences,
                  rotation=20, fontsize=8)
    ax.set_ylabel('PSNR (dB)')
    lo = min(min(p.get_height() for p in ax.patches) - 1, 40)
    ax.set_ylim(bottom=lo)
    ax.legend(fontsize=8)
    ax.set_title('PSNR per test sequence')
    fig.tight_layout()
    fig.savefig(osp.join(args.out_dir, 'per_sequence_psnr.png'), dpi=120)
    plt.close(fig)

    # image grids: frames spread over the sequences, each model on its own test sample
    keys = [f['key'] for f in next(iter(results.values()))['scores']['per_frame']]
    picks = [keys[int(i)] for i in np.linspace(0, len(keys) - 1, min(args.grid_frames,
                                                                    len(keys)))]
    grid_dir = osp.join(args.out_dir, 'grids')
    os.makedirs(grid_dir, exist_ok=True)
    md += ['', 'Image grids (blurry | ' + ' | '.join(results) + ' | sharp; bottom row: the '
           'region where the input is most blurred, x3):', '']
    for key in picks:
        tiles, blurry, sharp = [], None, None
        for name in results:
            ds = datasets[name]
            idx = next(i for i in range(len(ds)) if ds.get_data_info(i)['key'] == key)
            with torch.no_grad():
                out = models[name].val_step(pseudo_collate([ds[idx]]))[0]
            pred = out.output.pred_img.clamp(0, 255).round().byte().permute(1, 2, 0).numpy()
            if blurry is None:
                blurry = out.blurry_img.clamp(0, 255).round().byte().permute(1, 2, 0).numpy()
                sharp = out.gt_img.clamp(0, 255).round().byte().permute(1, 2, 0).numpy()
            psnr = next(f['PSNR'] for f in results[name]['scores']['per_frame']
                        if f['key'] == key)
            tiles.append((f'{name} {psnr:.2f} dB', pred))
        frame = next(f for f in next(iter(results.values()))['scores']['per_frame']
                     if f['key'] == key)
        tiles = [(f"blurry {frame['input_PSNR']:.2f} dB", blurry)] + tiles + [('sharp', sharp)]
        box = most_blurred_box(blurry, sharp, max(16, min(h, w) // 4))
        grid = comparison_grid(tiles, box)
        path = osp.join(grid_dir, key.replace('/', '__') + '.png')
        cv2.imwrite(path, cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        md.append(f'![{key}](grids/{osp.basename(path)})')

    with open(osp.join(args.out_dir, 'comparison.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    with open(osp.join(args.out_dir, 'comparison.json'), 'w') as f:
        json.dump(dict(data_root=args.data_root, frame_size=[h, w], device=args.device,
                       mac_rules=MAC_RULES, table=rows,
                       per_sequence={n: r['scores']['per_sequence'] for n, r in
                                     results.items()}, grids=picks), f, indent=1)
    print('\n'.join(md[:len(rows) + 4]))
    print(f'\nwritten to {args.out_dir}: comparison.md/.csv/.json, per_sequence.csv, '
          f'per_sequence_psnr.png, grids/ ({len(picks)} images)')


if __name__ == '__main__':
    main()
