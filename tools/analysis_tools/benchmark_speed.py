"""Speed as a share of this machine's peak: FST, EDVR-deblur and STFAN, fp32 and bf16.

    python tools/analysis_tools/benchmark_speed.py [--out-dir work_dirs/benchmark_speed]
        [--sizes 256x256 1280x720] [--train-size 256x256] [--train-batch 1] [--dtypes fp32 bf16]
        [--networks ...] [--repeats 3] [--quick]

Not a test. In one process, on an idle machine:
  peak          a 2048x2048 matrix product and a 3x3 64->64 convolution at 256x256, per
                dtype (fastest of 5), at the start and at the end of the run, and again
                right before and after every row: each row's share is against the best
                peak measured around it (this shared machine's speed drifts by up to 2x
                between minutes), and also against the run's best fp32 peak
  layout        each network's inference at the first size in fp32 in both memory layouts
                (default and channels-last); the faster one is used from then on, so every
                network gets the layout that suits it (FST chooses with its own
                ``channels_last`` argument, the baselines by converting weights and input)
  inference     per output frame in each network's natural mode (FST also with the
                encoder cache, as tools/deblur_video.py runs it), every size and dtype
  training      one step (forward, L1 loss, backward, Adam) on --train-batch (1, 5, 3, h, w)
                clips at --train-size, every dtype (bf16: autocast, fp32 weights, as
                --amp bf16)
Throughput is 2 FLOPs per multiply-add (MACs counted as in tools/analysis_tools/benchmark.py, at the
smallest size and scaled by pixels), a training step counted as 3x its forward. Times are
the fastest of --repeats runs after one warm-up (runs predicted over a minute: one run).
Writes speed.json, speed.md and speed.png (share of peak per network) to --out-dir.
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

# the shipped weights' network (fst_plugin/model_zoo): the paper's FST plus a local path
SHIPPED_FST = dict(type='FSTNet', fusion=dict(type='FSTAttentionWithLocalPath'))
NETWORKS = {
    'FST, encoder cache': dict(cfg=dict(type='FSTNet'), encoder_cache=True, train=False),
    'FST, full window': dict(cfg=dict(type='FSTNet'), encoder_cache=False, train=True),
    'shipped FST, encoder cache': dict(cfg=SHIPPED_FST, encoder_cache=True, train=False),
    'shipped FST, full window': dict(cfg=SHIPPED_FST, encoder_cache=False, train=True),
    'EDVR-deblur': dict(cfg=dict(type='EDVRDeblurNet'), encoder_cache=False, train=True),
    'STFAN': dict(cfg=dict(type='STFANNet'), encoder_cache=False, train=True),
}
LONG_RUN_S = 60.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Speed as a share of peak (not a test)')
    parser.add_argument('--out-dir', default='work_dirs/benchmark_speed')
    parser.add_argument('--sizes', nargs='+', default=['256x256', '1280x720'],
                        help='inference frame sizes WxH')
    parser.add_argument('--train-size', default='256x256',
                        help='crop WxH of the training step ("none" to skip)')
    parser.add_argument('--dtypes', nargs='+', default=['fp32', 'bf16'],
                        choices=['fp32', 'bf16'])
    parser.add_argument('--train-batch', type=int, default=1,
                        help='clips per training step')
    parser.add_argument('--networks', nargs='+', default=list(NETWORKS), choices=list(NETWORKS))
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--allocator', default='keep', choices=['keep', 'glibc'],
                        help="'keep': freed memory stays in the process (as the training and "
                        "test tools run); 'glibc': its defaults (as deblur_video.py runs)")
    parser.add_argument('--quick', action='store_true',
                        help='tiny sizes and one repeat (smoke run)')
    return parser.parse_args(argv)


def parse_size(size):
    try:
        w, h = map(int, size.lower().split('x'))
    except ValueError:
        raise SystemExit(f'size must look like 256x256 (WxH), got {size!r}')
    return h, w


def build(name, layout):
    """The network in eval mode, laid out as ``layout`` ('default'/'channels_last')."""
    import torch
    from mmagic.registry import MODELS
    cfg = dict(NETWORKS[name]['cfg'])
    if cfg['type'] == 'FSTNet':
        return MODELS.build(dict(cfg, channels_last=layout == 'channels_last')).eval()
    net = MODELS.build(cfg).eval()
    return net.to(memory_format=torch.channels_last) if layout == 'channels_last' else net


def inference_seconds(net, name, size, dtype, layout, repeats, predicted=None):
    """Fastest time of one output frame (see the module docstring), in seconds."""
    from fst_plugin.analysis.efficiency import inference_pass
    from fst_plugin.analysis.hardware_peak import best_time
    run = inference_pass(net, 5, size, NETWORKS[name]['encoder_cache'], dtype,
                         channels_last_inputs=layout == 'channels_last'
                         and NETWORKS[name]['cfg']['type'] != 'FSTNet')
    long_run = predicted is not None and predicted > LONG_RUN_S
    return best_time(run, repeats=1 if long_run else repeats, warmup=0 if long_run else 1)


def training_seconds(net, size, dtype, repeats, batch_size=1):
    """Fastest time of one training step on a (batch_size, 5, 3, h, w) clip, in seconds."""
    from fst_plugin.analysis.efficiency import training_step
    from fst_plugin.analysis.hardware_peak import best_time
    seconds = best_time(training_step(net, 5, size, dtype, batch_size), repeats=repeats)
    net.eval()
    return seconds


def forward_macs(net, name, size):
    """MACs of one output frame and of the training forward at ``size`` (h, w)."""
    import torch
    from fst_plugin.analysis import count_macs
    from fst_plugin.analysis.efficiency import per_frame_call
    module, inputs = per_frame_call(net, 5, size, encoder_cache=NETWORKS[name]['encoder_cache'])
    with torch.no_grad():
        frame = count_macs(module, inputs)
        clip = count_macs(net, (torch.rand(1, 5, 3, *size), ))
    return frame, clip


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.utils import keep_freed_memory
    # activations reuse the heap instead of page-faulting each pass
    kept = keep_freed_memory() if args.allocator == 'keep' else False
    if args.quick:
        args.sizes, args.train_size, args.repeats = ['32x32'], '32x32', 1
    os.makedirs(args.out_dir, exist_ok=True)
    import torch

    import fst_plugin  # noqa: F401
    from fst_plugin.analysis.hardware_peak import cpu_flags, measure_peak
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    start = time.time()
    log = lambda msg: print(f'[{time.time() - start:6.0f} s] {msg}', flush=True)  # noqa: E731
    sizes = [parse_size(s) for s in args.sizes]
    train_size = None if args.train_size == 'none' else parse_size(args.train_size)

    peak, peak_runs = {}, {dtype: [] for dtype in args.dtypes}

    def measure_peaks(when):
        for dtype in args.dtypes:
            p = measure_peak(dtype, **(dict(matmul_size=256, conv_side=32, repeats=1)
                                       if args.quick else {}))
            peak_runs[dtype].append(dict(p, when=when))
            # the best of the runs: a shared machine's slow phases only ever lower it
            peak[dtype] = {key: max(r[key] for r in peak_runs[dtype]) for key in p}
            peak[dtype]['peak_gflops'] = max(peak[dtype].values())
            log(f'peak {dtype} ({when}): matrix product {p["matmul_gflops"]:.1f} GFLOP/s, '
                f'3x3 conv 64->64 {p["conv_gflops"]:.1f} GFLOP/s')
    measure_peaks('start')
    peak_kwargs = dict(matmul_size=256, conv_side=32, repeats=1) if args.quick \
        else dict(repeats=3)

    def timed_with_local_peak(measure, dtype):
        """seconds of ``measure()`` and the best peak measured right before and after it,
        per dtype: this machine's speed drifts by up to 2x between minutes (shared host),
        so each row is compared with what the processor delivered around it."""
        wanted = sorted({'fp32', dtype} & set(args.dtypes))
        local = [{d: measure_peak(d, **peak_kwargs) for d in wanted}]
        seconds = measure()
        local.append({d: measure_peak(d, **peak_kwargs) for d in wanted})
        return seconds, {d: max(max(p[d].values()) for p in local) for d in wanted}

    rows, layouts = [], {}
    smallest = min(sizes + ([train_size] if train_size else []), key=lambda s: s[0] * s[1])
    for name in args.networks:
        # layout: both tried at the first size, fp32 inference
        tried = {}
        for layout in ('default', 'channels_last'):
            net = build(name, layout)
            tried[layout] = inference_seconds(net, name, sizes[0], 'fp32', layout, args.repeats)
        layouts[name] = dict(tried, chosen=min(tried, key=tried.get))
        log(f'{name}: {sizes[0][1]}x{sizes[0][0]} fp32 default {tried["default"]:.3f} s, '
            f'channels-last {tried["channels_last"]:.3f} s -> {layouts[name]["chosen"]}')
        layout = layouts[name]['chosen']
        net = build(name, layout)
        frame_macs, clip_macs = forward_macs(net, name, smallest)
        per_pixel = (frame_macs / (smallest[0] * smallest[1]),
                     clip_macs / (smallest[0] * smallest[1]))
        for dtype in args.dtypes:
            for size in sizes:
                predicted = None
                done = [r for r in rows if r['network'] == name and r['mode'] == 'inference'
                        and r['dtype'] == dtype]
                if done:  # seconds scale with pixels
                    r = done[-1]
                    predicted = r['seconds'] * size[0] * size[1] / r['pixels']
                seconds, local = timed_with_local_peak(
                    lambda: inference_seconds(net, name, size, dtype, layout, args.repeats,
                                              predicted), dtype)
                rows.append(row(name, 'inference', size, dtype, layout,
                                per_pixel[0] * size[0] * size[1], seconds, local))
                log(describe(rows[-1]))
            if train_size and NETWORKS[name]['train']:
                seconds, local = timed_with_local_peak(
                    lambda: training_seconds(net, train_size, dtype, args.repeats,
                                             args.train_batch), dtype)
                mode = 'training step' + (f' x{args.train_batch}' if args.train_batch > 1
                                          else '')
                rows.append(row(name, mode, train_size, dtype, layout,
                                3 * per_pixel[1] * train_size[0] * train_size[1]
                                * args.train_batch, seconds, local))
                log(describe(rows[-1]))
        del net

    measure_peaks('end')
    for r in rows:  # and against the best fp32 peak of the whole run
        r['share_of_best_fp32_peak'] = r['gflops'] / peak['fp32']['peak_gflops'] \
            if 'fp32' in peak else None
    from fst_plugin.utils.precision import cpu_model
    result = dict(torch=torch.__version__, threads=torch.get_num_threads(), cpu=cpu_model(),
                  keep_freed_memory=kept, cpu_flags=cpu_flags(), peak=peak,
                  peak_runs=peak_runs, layouts=layouts, rows=rows,
                  seconds=time.time() - start)
    with open(osp.join(args.out_dir, 'speed.json'), 'w') as f:
        json.dump(result, f, indent=1)
    md = markdown(result)
    with open(osp.join(args.out_dir, 'speed.md'), 'w') as f:
        f.write(md)
    plot(result, osp.join(args.out_dir, 'speed.png'))
    print(md)
    log(f'done; written to {args.out_dir}')


def row(name, mode, size, dtype, layout, macs, seconds, local_peak):
    """One measured row; shares against the peaks measured around it (``local_peak``:
    GFLOP/s per dtype)."""
    gflops = 2 * macs / seconds / 1e9
    return dict(network=name, mode=mode, size=f'{size[1]}x{size[0]}', pixels=size[0] * size[1],
                dtype=dtype, layout=layout, gmacs=macs / 1e9, seconds=seconds, gflops=gflops,
                local_peak_gflops=local_peak,
                share_of_peak=gflops / local_peak[dtype],
                share_of_fp32_peak=gflops / local_peak['fp32'] if 'fp32' in local_peak
                else None)


def describe(r):
    return (f'{r["network"]:19s} {r["mode"]:13s} {r["size"]:>9s} {r["dtype"]}: '
            f'{r["seconds"]:.3f} s, {r["gflops"]:.1f} GFLOP/s, '
            f'{100 * r["share_of_peak"]:.0f} % of the {r["dtype"]} peak around it')


def markdown(result):
    peak = result['peak']
    flags = ', '.join(f'{k} {"yes" if v else "no"}' for k, v in result['cpu_flags'].items())
    lines = [f'{result.get("cpu", "unknown CPU")}, torch {result["torch"]}, '
             f'{result["threads"]} threads, freed memory kept in '
             f'the process: {result["keep_freed_memory"]}; CPU flags: {flags or "unknown"}.',
             '',
             '| dtype | measured | matrix product 2048² (GFLOP/s) | 3x3 conv 64->64, 256² '
             '(GFLOP/s) |', '|---|---|---|---|']
    for dtype, runs in result['peak_runs'].items():
        for p in runs + [dict(peak[dtype], when=f'**peak used: '
                              f'{peak[dtype]["peak_gflops"]:.1f}** (best of both, either run)')]:
            lines.append(f'| {dtype} | {p["when"]} | {p["matmul_gflops"]:.1f} | '
                         f'{p["conv_gflops"]:.1f} |')
    lines += ['', '| network | layout tried: default / channels-last (s) | chosen |',
              '|---|---|---|']
    for name, lay in result['layouts'].items():
        lines.append(f'| {name} | {lay["default"]:.3f} / {lay["channels_last"]:.3f} | '
                     f'{lay["chosen"]} |')
    lines += ['', 'Peaks "around": the best matrix product or convolution measured right '
              'before and right after the row (the machine\'s speed drifts between minutes).',
              '', '| network | mode | size | dtype | GMACs | s | GFLOP/s | fp32 peak around '
              '(GFLOP/s) | % of the same dtype\'s peak around | % of the fp32 peak around | '
              '% of the run\'s best fp32 peak |', '|---|---|---|---|---|---|---|---|---|---|---|']

    def pct(x):
        return f'{100 * x:.0f}' if x else '-'
    for r in result['rows']:
        lines.append(f'| {r["network"]} | {r["mode"]} | {r["size"]} | {r["dtype"]} | '
                     f'{r["gmacs"]:.1f} | {r["seconds"]:.3f} | {r["gflops"]:.1f} | '
                     f'{r["local_peak_gflops"].get("fp32", 0):.0f} | '
                     f'{pct(r["share_of_peak"])} | {pct(r["share_of_fp32_peak"])} | '
                     f'{pct(r["share_of_best_fp32_peak"])} |')
    lines += ['', f'Total benchmark time {result["seconds"]:.0f} s.', '']
    return '\n'.join(lines)


def plot(result, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = result['rows']
    labels = [f'{r["network"]}\n{r["mode"]} {r["size"]}' for r in rows if r['dtype'] == 'fp32']
    labels = list(dict.fromkeys(labels)) or list(dict.fromkeys(
        f'{r["network"]}\n{r["mode"]} {r["size"]}' for r in rows))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(labels) + 2), 4.5))
    dtypes = list(result['peak'])
    width = 0.8 / len(dtypes)
    for i, dtype in enumerate(dtypes):
        values = []
        for label in labels:
            r = next((r for r in rows if r['dtype'] == dtype and
                      f'{r["network"]}\n{r["mode"]} {r["size"]}' == label), None)
            values.append(100 * (r['share_of_fp32_peak'] or r['share_of_peak']) if r else 0)
        ax.bar([x + i * width for x in range(len(labels))], values, width, label=dtype)
    ax.set_xticks([x + width * (len(dtypes) - 1) / 2 for x in range(len(labels))])
    ax.set_xticklabels(labels, fontsize=7, rotation=30, ha='right')
    ax.set_ylabel('% of the fp32 peak measured around each run')
    ax.axhline(50, color='gray', ls='--', lw=0.8)
    ax.legend()
    ax.grid(True, axis='y', alpha=0.3)
    ax.set_title('Throughput as a share of this machine\'s peak')
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == '__main__':
    main()
