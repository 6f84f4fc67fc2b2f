"""Speed as a share of this machine's peak: FST, EDVR-deblur and STFAN, fp32 and bf16.

    python tools/benchmark_speed.py [--out-dir work_dirs/benchmark_speed]
        [--sizes 256x256 1280x720] [--train-size 256x256] [--dtypes fp32 bf16]
        [--networks ...] [--repeats 3] [--quick]

Not a test. In one process, on an idle machine:
  peak          a 2048x2048 matrix product and a 3x3 64->64 convolution at 256x256, per
                dtype (fastest of 5); the matrix product is the peak every share refers to
  layout        each network's inference at the first size in fp32 in both memory layouts
                (default and channels-last); the faster one is used from then on, so every
                network gets the layout that suits it (FST chooses with its own
                ``channels_last`` argument, the baselines by converting weights and input)
  inference     per output frame in each network's natural mode (FST also with the
                encoder cache, as tools/deblur_video.py runs it), every size and dtype
  training      one step (forward, L1 loss, backward, Adam) on a (1, 5, 3, h, w) clip at
                --train-size, every dtype (bf16: autocast, fp32 weights, as --amp bf16)
Throughput is 2 FLOPs per multiply-add (MACs counted as in tools/benchmark.py, at the
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

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')

NETWORKS = {
    'FST, encoder cache': dict(cfg=dict(type='FSTNet'), encoder_cache=True, train=False),
    'FST, full window': dict(cfg=dict(type='FSTNet'), encoder_cache=False, train=True),
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


def autocast(dtype):
    import contextlib

    import torch
    return torch.autocast('cpu', dtype=torch.bfloat16) if dtype == 'bf16' \
        else contextlib.nullcontext()


def inference_seconds(net, name, size, dtype, layout, repeats, predicted=None):
    """Fastest time of one output frame (see the module docstring), in seconds."""
    import torch
    from fst_plugin.analysis.efficiency import per_frame_call
    from fst_plugin.analysis.hardware_peak import best_time
    module, inputs = per_frame_call(net, 5, size, encoder_cache=NETWORKS[name]['encoder_cache'])
    if layout == 'channels_last' and NETWORKS[name]['cfg']['type'] != 'FSTNet':
        inputs = tuple(x.contiguous(memory_format=torch.channels_last) if x.dim() == 4 else x
                       for x in inputs)

    def run():
        with torch.no_grad(), autocast(dtype):
            module(*inputs)
    long_run = predicted is not None and predicted > LONG_RUN_S
    return best_time(run, repeats=1 if long_run else repeats, warmup=0 if long_run else 1)


def training_seconds(net, size, dtype, repeats):
    """Fastest time of one training step on a (1, 5, 3, h, w) clip, in seconds."""
    import torch
    from fst_plugin.analysis.hardware_peak import best_time
    net.train()
    clip = torch.rand(1, 5, 3, *size)
    with torch.no_grad():
        target = torch.rand_like(net(clip))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)

    def step():
        optimizer.zero_grad()
        with autocast(dtype):
            loss = (net(clip).float() - target).abs().mean()
        loss.backward()
        optimizer.step()
    seconds = best_time(step, repeats=repeats)
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

    peak = {}
    for dtype in args.dtypes:
        peak[dtype] = measure_peak(dtype, **(dict(matmul_size=256, conv_side=32, repeats=1)
                                             if args.quick else {}))
        log(f'peak {dtype}: matrix product {peak[dtype]["matmul_gflops"]:.1f} GFLOP/s, '
            f'3x3 conv 64->64 {peak[dtype]["conv_gflops"]:.1f} GFLOP/s')

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
                seconds = inference_seconds(net, name, size, dtype, layout, args.repeats,
                                            predicted)
                rows.append(row(name, 'inference', size, dtype, layout,
                                per_pixel[0] * size[0] * size[1], seconds, peak))
                log(describe(rows[-1]))
            if train_size and NETWORKS[name]['train']:
                seconds = training_seconds(net, train_size, dtype, args.repeats)
                rows.append(row(name, 'training step', train_size, dtype, layout,
                                3 * per_pixel[1] * train_size[0] * train_size[1], seconds, peak))
                log(describe(rows[-1]))
        del net

    result = dict(torch=torch.__version__, threads=torch.get_num_threads(),
                  keep_freed_memory=kept, cpu_flags=cpu_flags(),
                  peak=peak, layouts=layouts, rows=rows, seconds=time.time() - start)
    with open(osp.join(args.out_dir, 'speed.json'), 'w') as f:
        json.dump(result, f, indent=1)
    md = markdown(result)
    with open(osp.join(args.out_dir, 'speed.md'), 'w') as f:
        f.write(md)
    plot(result, osp.join(args.out_dir, 'speed.png'))
    print(md)
    log(f'done; written to {args.out_dir}')


def row(name, mode, size, dtype, layout, macs, seconds, peak):
    gflops = 2 * macs / seconds / 1e9
    return dict(network=name, mode=mode, size=f'{size[1]}x{size[0]}', pixels=size[0] * size[1],
                dtype=dtype, layout=layout, gmacs=macs / 1e9, seconds=seconds, gflops=gflops,
                share_of_peak=gflops / peak[dtype]['matmul_gflops'],
                share_of_fp32_peak=gflops / peak['fp32']['matmul_gflops']
                if 'fp32' in peak else None)


def describe(r):
    return (f'{r["network"]:19s} {r["mode"]:13s} {r["size"]:>9s} {r["dtype"]}: '
            f'{r["seconds"]:.3f} s, {r["gflops"]:.1f} GFLOP/s, '
            f'{100 * r["share_of_peak"]:.0f} % of the {r["dtype"]} peak')


def markdown(result):
    peak = result['peak']
    flags = ', '.join(f'{k} {"yes" if v else "no"}' for k, v in result['cpu_flags'].items())
    lines = [f'torch {result["torch"]}, {result["threads"]} threads, freed memory kept in '
             f'the process: {result["keep_freed_memory"]}; CPU flags: {flags or "unknown"}.',
             '',
             '| dtype | matrix product 2048² (GFLOP/s) | 3x3 conv 64->64, 256² (GFLOP/s) |',
             '|---|---|---|']
    for dtype, p in peak.items():
        lines.append(f'| {dtype} | {p["matmul_gflops"]:.1f} | {p["conv_gflops"]:.1f} |')
    lines += ['', '| network | layout tried: default / channels-last (s) | chosen |',
              '|---|---|---|']
    for name, lay in result['layouts'].items():
        lines.append(f'| {name} | {lay["default"]:.3f} / {lay["channels_last"]:.3f} | '
                     f'{lay["chosen"]} |')
    lines += ['', '| network | mode | size | dtype | GMACs | s | GFLOP/s | % of peak '
              '(same dtype) | % of fp32 peak |', '|---|---|---|---|---|---|---|---|---|']
    for r in result['rows']:
        fp32 = f'{100 * r["share_of_fp32_peak"]:.0f}' if r['share_of_fp32_peak'] else '-'
        lines.append(f'| {r["network"]} | {r["mode"]} | {r["size"]} | {r["dtype"]} | '
                     f'{r["gmacs"]:.1f} | {r["seconds"]:.3f} | {r["gflops"]:.1f} | '
                     f'{100 * r["share_of_peak"]:.0f} | {fp32} |')
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
    ax.set_ylabel('% of the fp32 matrix-product peak')
    ax.axhline(50, color='gray', ls='--', lw=0.8)
    ax.legend()
    ax.grid(True, axis='y', alpha=0.3)
    ax.set_title('Throughput as a share of this machine\'s peak')
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == '__main__':
    main()
