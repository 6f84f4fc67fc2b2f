"""Efficiency benchmark: FSTA vs non-local vs concat fusion, and FST vs EDVR vs STFAN.

    python tools/analysis_tools/benchmark.py [--out-dir work_dirs/benchmark] [--device cpu|cuda]
        [--budget-mib 12288] [--quick]

Not a test. Writes benchmark.json, benchmark.md and PNG plots to --out-dir:
  fusion level  every fusion at growing T and H*W (channels 32): peak memory of the
                forward and of forward+backward, forward time; log-log slope of memory
                against T*H*W; the largest T*H*W that fits --budget-mib (extrapolated
                from the fit); the memory ratio non-local / FSTA at every size and at
                the largest size where each non-local variant fits. Non-local comes in
                two forms: reference-frame queries, an (H*W) x (T*H*W) attention (the
                drop-in fusion; same output as the full block), and Wang et al.'s full
                block, (T*H*W) x (T*H*W), as the FST paper describes it. The default
                budget, 12 GiB, is the paper's GPU (Titan Xp); it is capped at 70 % of
                the memory available when the benchmark starts.
  model level   FSTNet (fst_gopro.py), EDVR-deblur (23.6M) and STFAN (5.37M): parameters,
                MACs, seconds and peak memory per output frame at 256x256 and 1280x720;
                FST also in streaming mode (each frame encoded once, decoded with the
                cached features of its T-1 neighbours, as tools/deblur_video.py runs it).
Memory: CUDA max_memory_allocated on GPU; on CPU the process's peak resident set above
the level before the call (glibc heap trimmed before each run), in MiB.
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

FUSIONS = {
    'FSTA': dict(type='FactorizedSpatioTemporalAttention'),
    'non-local (ref. queries)': dict(type='SpatioTemporalNonLocalFusion', queries='reference'),
    'non-local (full block)': dict(type='SpatioTemporalNonLocalFusion', queries='all'),
    'concat': dict(type='ConcatConvFusion'),
}
# fusions whose weights depend on T (concatenation of the T frames' channels)
TAKES_NUM_FRAMES = {'ConcatConvFusion'}
COLORS = ['tab:blue', 'tab:orange', 'tab:green', 'tab:red']
NONLOCAL = [name for name in FUSIONS if name.startswith('non-local')]
PAPER_GPU_MIB = 12288  # NVIDIA Titan Xp, the GPU of the FST paper
# network, and whether each frame is encoded once and its features cached (streaming)
MODELS_CFG = {
    'FST': (dict(type='FSTNet'), False),
    'FST (encoder cache)': (dict(type='FSTNet'), True),
    'EDVR-deblur': (dict(type='EDVRDeblurNet'), False),
    'STFAN': (dict(type='STFANNet'), False),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Efficiency benchmark (not a test)')
    parser.add_argument('--out-dir', default='work_dirs/benchmark')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--budget-mib', type=float, default=PAPER_GPU_MIB,
                        help='memory budget for the fusions (default: 12 GiB, the paper\'s '
                        'Titan Xp; non-local sizes predicted beyond it are not run; the '
                        'largest fitting size is extrapolated for all)')
    parser.add_argument('--channels', type=int, default=32)
    parser.add_argument('--frames', type=int, nargs='+', default=[3, 5, 7])
    parser.add_argument('--sides', type=int, nargs='+', default=[16, 24, 32, 48, 64, 96, 128],
                        help='square feature sizes H=W of the fusion benchmark')
    parser.add_argument('--model-sizes', nargs='+', default=['256x256', '1280x720'])
    parser.add_argument('--quick', action='store_true', help='fewer sizes (smoke run)')
    return parser.parse_args(argv)


def fit_loglog(xs, ys):
    import numpy as np
    lx, ly = np.log(np.asarray(xs, float)), np.log(np.asarray(ys, float))
    slope, intercept = np.polyfit(lx, ly, 1)
    return float(slope), float(np.exp(intercept))


def cap_budget(budget_mib, dev, log):
    """The fusion budget, capped on CPU at 70 % of the memory available now."""
    from fst_plugin.utils.memory_info import proc_kb
    available = proc_kb('MemAvailable', '/proc/meminfo')
    available = available / 1024 if available else None
    if dev == 'cpu' and available and budget_mib > 0.7 * available:
        log(f'budget {budget_mib:.0f} MiB capped to 70 % of the available memory '
            f'({available:.0f} MiB)')
        return 0.7 * available
    return budget_mib


def benchmark_fusions(args, dev, log):
    """One row per fusion and (T, side): peak memory of forward and forward+backward and
    forward time, or why it was skipped (predicted or measured over the budget)."""
    import torch

    from fst_plugin.analysis import peak_memory_mb
    from fst_plugin.analysis.efficiency import time_call
    from mmagic.registry import MODELS
    rows = []
    warm = MODELS.build(dict(FUSIONS['FSTA'], channels=args.channels)).to(dev)
    peak_memory_mb(lambda: warm(torch.rand(1, 3, args.channels, 16, 16, device=dev), 1), dev)
    del warm  # first-call allocations (thread pools, kernels) would land on the first row
    runs = [(t, s) for t in args.frames for s in args.sides]
    for name, cfg in FUSIONS.items():
        skip_from = None  # THW beyond which this fusion exceeded the budget
        for t, side in runs:
            thw = t * side * side
            predicted = nonlocal_attention_mib(cfg, t, side)
            if skip_from is not None and thw >= skip_from:
                rows.append(dict(fusion=name, T=t, side=side, THW=thw, skipped=True,
                                 reason='a smaller size exceeded the budget'))
                continue
            if predicted > args.budget_mib:
                rows.append(dict(fusion=name, T=t, side=side, THW=thw, skipped=True,
                                 reason=f'attention alone needs {predicted:.0f} MiB'))
                continue
            extra = dict(num_frames=t) if cfg['type'] in TAKES_NUM_FRAMES else {}
            module = MODELS.build(dict(cfg, channels=args.channels, **extra)).to(dev)
            x = torch.rand(1, t, args.channels, side, side, device=dev)

            def fwd():
                with torch.no_grad():
                    module(x, t // 2)

            def fwd_bwd():
                xg = x.clone().requires_grad_(True)
                module(xg, t // 2).sum().backward()

            first = time.perf_counter()
            fwd_mib = peak_memory_mb(fwd, dev)  # also the warm-up of the timing
            long_run = time.perf_counter() - first > 0.5
            row = dict(fusion=name, T=t, side=side, THW=thw, fwd_mib=fwd_mib,
                       train_mib=peak_memory_mb(fwd_bwd, dev),
                       fwd_s=time_call(fwd, dev, repeats=1 if long_run else 3, warmup=0))
            rows.append(row)
            log(f'{name:24s} T={t} {side}x{side}: fwd {row["fwd_mib"]:.1f} MiB, fwd+bwd '
                f'{row["train_mib"]:.1f} MiB, {row["fwd_s"] * 1e3:.1f} ms')
            if max(row['fwd_mib'] or 0, row['train_mib'] or 0) > args.budget_mib:
                skip_from = thw
            del module, x
    return rows


def fit_fusions(fusion_rows, budget_mib):
    """Per fusion: log-log fits of memory and time against T*H*W, and the largest T*H*W
    whose forward+backward fits the budget (extrapolated)."""
    fits = {}
    for name in FUSIONS:
        rows = [r for r in fusion_rows if r['fusion'] == name and not r.get('skipped')]
        fit = {}
        for key in ('fwd_mib', 'train_mib', 'fwd_s'):
            # fit on the upper half of the sizes, where fixed overheads no longer dominate
            pts = sorted((r['THW'], r[key]) for r in rows if r[key] and r[key] > 0)
            pts = pts[len(pts) // 2:] if len(pts) >= 4 else pts
            if len(pts) >= 2:
                slope, coef = fit_loglog(*zip(*pts))
                fit[key] = dict(slope=slope, coef=coef)
        if 'train_mib' in fit:
            f = fit['train_mib']
            fit['max_THW_in_budget'] = (budget_mib / f['coef'])**(1 / f['slope'])
        fits[name] = fit
    return fits


def benchmark_models(model_sizes, dev, log):
    """One row per network and frame size: parameters, MACs, seconds and peak memory per
    output frame. Above ~300k pixels one cold run and MACs scaled from 256x256."""
    from fst_plugin.analysis import measure_network
    from mmagic.registry import MODELS
    rows = []
    for size in model_sizes:
        w, h = map(int, size.split('x'))
        for name, (cfg, encoder_cache) in MODELS_CFG.items():
            net = MODELS.build(cfg)
            big = h * w > 300_000  # one cold run: a warm-up would double a minute-long run
            r = measure_network(net, 5, (h, w), device=dev, repeats=1 if big else 3,
                                warmup=not big, macs=not big, encoder_cache=encoder_cache)
            rows.append(dict(model=name, size=size, **r))
            macs = f'{r["macs"] / 1e9:.1f} GMACs' if r['macs'] else 'MACs scaled from 256x256'
            log(f'{name:19s} {size}: {r["params"] / 1e6:.2f} M params, {macs}, '
                f'{r["seconds"]:.2f} s, {r["peak_mb"] or 0:.0f} MiB')
            del net
    # MACs of every network are linear in the pixel count: scale the 256x256 count
    base = {r['model']: r['macs'] for r in rows if r['macs']}
    for r in rows:
        if r['macs'] is None and r['model'] in base:
            w, h = map(int, r['size'].split('x'))
            r['macs'] = base[r['model']] * (w * h) / (256 * 256)
            r['macs_scaled'] = True
    return rows


def write_results(result, out_dir):
    """benchmark.json, the plots and benchmark.md (also printed)."""
    with open(osp.join(out_dir, 'benchmark.json'), 'w') as f:
        json.dump(result, f, indent=1)
    plot(result, out_dir)
    md = markdown(result)
    with open(osp.join(out_dir, 'benchmark.md'), 'w') as f:
        f.write(md)
    print(md)


def main(argv=None):
    args = parse_args(argv)
    if args.quick:
        args.frames, args.sides, args.model_sizes = [3, 5], [16, 32, 48], ['256x256']
    os.makedirs(args.out_dir, exist_ok=True)
    import torch

    import fst_plugin  # noqa: F401
    from fst_plugin.analysis import MAC_RULES
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    dev = args.device
    start = time.time()
    log = lambda msg: print(f'[{time.time() - start:6.0f} s] {msg}', flush=True)  # noqa: E731

    args.budget_mib = cap_budget(args.budget_mib, dev, log)
    fusion_rows = benchmark_fusions(args, dev, log)
    fits = fit_fusions(fusion_rows, args.budget_mib)
    model_rows = benchmark_models(args.model_sizes, dev, log)
    result = dict(device=dev, torch=torch.__version__, threads=torch.get_num_threads(),
                  channels=args.channels, budget_mib=args.budget_mib, mac_rules=MAC_RULES,
                  fusion=fusion_rows, fits=fits, nonlocal_vs_fsta=memory_ratios(fusion_rows),
                  models=model_rows, seconds=time.time() - start)
    write_results(result, args.out_dir)
    log(f'done; written to {args.out_dir}')


def nonlocal_attention_mib(cfg, t, side):
    """Predicted forward+backward memory of a non-local block's attention matrix
    (logits, softmax and its gradient: 3 float32 copies); 0 for other fusions."""
    if cfg['type'] != 'SpatioTemporalNonLocalFusion':
        return 0.0
    thw = t * side * side
    queries = thw if cfg.get('queries') == 'all' else side * side
    return 3 * 4 * queries * thw / 2**20


def memory_ratios(fusion_rows):
    """Non-local / FSTA memory at every size both ran, and at the largest size each
    non-local variant ran within the budget."""
    fsta = {(r['T'], r['side']): r for r in fusion_rows
            if r['fusion'] == 'FSTA' and not r.get('skipped')}
    per_size, largest = [], {}
    for name in NONLOCAL:
        ran = [r for r in fusion_rows if r['fusion'] == name and not r.get('skipped')
               and (r['T'], r['side']) in fsta]
        for r in ran:
            f = fsta[(r['T'], r['side'])]
            per_size.append(dict(fusion=name, T=r['T'], side=r['side'], THW=r['THW'],
                                 nonlocal_train_mib=r['train_mib'],
                                 fsta_train_mib=f['train_mib'],
                                 train=r['train_mib'] / max(f['train_mib'], 1e-3),
                                 fwd=r['fwd_mib'] / max(f['fwd_mib'], 1e-3)))
        if ran:
            largest[name] = max((p for p in per_size if p['fusion'] == name),
                                key=lambda p: p['THW'])
    return dict(per_size=per_size, largest=largest)


def plot(result, out_dir):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, key, label in zip(axes, ('fwd_mib', 'train_mib', 'fwd_s'),
                              ('peak memory, forward (MiB)', 'peak memory, forward+backward '
                               '(MiB)', 'forward time (s)')):
        for color, name in zip(COLORS, FUSIONS):
            rows = [r for r in result['fusion'] if r['fusion'] == name and
                    not r.get('skipped') and r.get(key)]
            slope = result['fits'].get(name, {}).get(key, {}).get('slope')
            # one line per T (solid, dashed, dotted): a non-local's memory depends on
            # H*W * T*H*W, so sizes of different T do not fall on one curve
            for style, t in zip(('-', '--', ':', '-.'), sorted({r['T'] for r in rows})):
                pts = sorted((r['THW'], r[key]) for r in rows if r['T'] == t)
                label = (f'{name} (slope {slope:.2f})' if slope else name) if style == '-' \
                    else None
                ax.loglog(*zip(*pts), 'o', ls=style, color=color, label=label, alpha=0.8,
                          ms=4)
        if key != 'fwd_s':
            ax.axhline(result['budget_mib'], color='gray', ls='--', lw=0.8,
                       label=f'memory budget ({result["budget_mib"]:.0f} MiB)')
        ax.set_xlabel('T x H x W (feature positions); T = ' + ', '.join(
            f'{t} {st}' for t, st in zip(sorted({r['T'] for r in result['fusion']}),
                                         ('solid', 'dashed', 'dotted', 'dash-dot'))))
        ax.set_ylabel(label)
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f'Fusion modules, {result["channels"]} channels, {result["device"]}')
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'fusion_scaling.png'), dpi=110)
    plt.close(fig)


def markdown(result):
    lines = [f'Device: {result["device"]} (torch {result["torch"]}, {result["threads"]} '
             f'threads); fusion channels {result["channels"]}; memory budget '
             f'{result["budget_mib"]:.0f} MiB.', '',
             '| fusion | slope fwd memory | slope fwd+bwd memory | slope time | largest '
             'T*H*W in budget (fwd+bwd, fit) | = T=5, side |', '|---|---|---|---|---|---|']
    for name, fit in result['fits'].items():
        def s(key):
            return f'{fit[key]["slope"]:.2f}' if key in fit else '-'
        thw = fit.get('max_THW_in_budget')
        lines.append(f'| {name} | {s("fwd_mib")} | {s("train_mib")} | {s("fwd_s")} | '
                     f'{thw:,.0f} | {(thw / 5)**0.5:,.0f} |' if thw else
                     f'| {name} | {s("fwd_mib")} | {s("train_mib")} | {s("fwd_s")} | - | - |')
    ratios = result['nonlocal_vs_fsta']
    for name, r in ratios['largest'].items():
        lines += ['', f'At the largest size {name} ran within the budget (T={r["T"]}, '
                  f'{r["side"]}x{r["side"]}, T*H*W={r["THW"]:,}): it needs '
                  f'{r["nonlocal_train_mib"]:.0f} MiB for forward+backward, FSTA '
                  f'{r["fsta_train_mib"]:.1f} MiB: **{r["train"]:.0f}x** less '
                  f'(forward only: {r["fwd"]:.0f}x).']
    sizes = sorted({(p['T'], p['side']) for p in ratios['per_size'] if p['side'] >= 32})
    if sizes:
        lines += ['', 'Forward+backward memory (MiB) and non-local / FSTA ratio at each size '
                  '(H=W >= 32; smaller sizes sit at the allocator\'s resolution):', '',
                  '| T | H=W | T*H*W | FSTA | ' + ' | '.join(NONLOCAL) + ' |',
                  '|---|---|---|---|' + '---|' * len(NONLOCAL)]
        for t, side in sizes:
            cells, fsta_mib = [], None
            for name in NONLOCAL:
                p = next((p for p in ratios['per_size'] if p['fusion'] == name
                          and (p['T'], p['side']) == (t, side)), None)
                cells.append(f'{p["nonlocal_train_mib"]:.0f} ({p["train"]:.0f}x)' if p
                             else 'over budget')
                fsta_mib = p['fsta_train_mib'] if p else fsta_mib
            lines.append(f'| {t} | {side} | {t * side * side:,} | {fsta_mib:.1f} | '
                         + ' | '.join(cells) + ' |')
    lines += ['', f'Networks, per output frame (MACs: {result["mac_rules"]}; 1280x720 MACs '
              'scaled from 256x256 by pixel count):', '',
              '| network | size | params (M) | GMACs / frame | s / frame | peak memory (MiB) |',
              '|---|---|---|---|---|---|']
    for m in result['models']:
        lines.append(f'| {m["model"]} | {m["size"]} | {m["params"] / 1e6:.2f} | '
                     f'{(m["macs"] or 0) / 1e9:.1f} | {m["seconds"]:.2f} | '
                     f'{m["peak_mb"] or 0:.0f} |')
    lines += ['', f'Total benchmark time {result["seconds"]:.0f} s.', '',
              '![fusion scaling](fusion_scaling.png)', '']
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
