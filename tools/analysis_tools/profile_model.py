"""Where a network's time goes: torch.profiler, operators grouped by kind of work.

    python tools/analysis_tools/profile_model.py [--network FST] [--mode inference|training]
        [--size 256x256] [--dtype fp32|bf16] [--out-dir work_dirs/profile] [--trace]

Not a test. Runs one warm-up and one profiled pass of
  inference   one output frame in the network's natural mode (FST with the encoder
              cache, as tools/deblur_video.py runs it; --no-encoder-cache for a window)
  training    one step on a (1, 5, 3, h, w) clip (forward, L1, backward, Adam)
and writes profile.md/.json: the share of self CPU time per kind of work (convolution
forward and backward, matrix products, concatenation, element-wise, softmax,
reductions, layout changes and copies, the optimizer, the rest) with the largest
operators of each, and with --trace a Chrome trace (chrome://tracing, Perfetto).
"""
import argparse
import json
import os
import os.path as osp
import resource
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')

NETWORKS = {'FST': 'FSTNet', 'EDVR-deblur': 'EDVRDeblurNet', 'STFAN': 'STFANNet'}
# kind of work -> operator names (aten:: stripped); first match wins, the rest is 'other'
KINDS = {
    'convolution backward': ('convolution_backward', 'mkldnn_convolution_backward'),
    'convolution': ('mkldnn_convolution', '_slow_conv2d_forward', 'convolution_overrideable',
                    'deform_conv2d', '_convolution_pointwise'),
    'matrix product': ('bmm', 'mm', 'addmm', 'baddbmm', 'matmul'),
    'concatenation': ('cat', ),
    'softmax': ('_softmax', '_softmax_backward_data'),
    'reduction': ('sum', 'mean'),
    'layout change / copy': ('copy_', 'clone', 'contiguous', 'pixel_shuffle',
                             'pixel_unshuffle', '_to_copy', 'constant_pad_nd',
                             'replication_pad2d', 'index', 'fill_', 'zero_'),
    'element-wise': ('add', 'add_', 'mul', 'mul_', 'div', 'div_', 'sub', 'leaky_relu',
                     'leaky_relu_', 'leaky_relu_backward', 'sigmoid', 'sigmoid_backward',
                     'relu', 'relu_', 'threshold_backward', 'abs', 'sgn', 'neg', 'exp',
                     'where', 'clamp', 'addcmul_', 'addcdiv_', 'lerp_', 'sqrt', 'maximum'),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Profile one pass (not a test)')
    parser.add_argument('--network', default='FST', choices=list(NETWORKS))
    parser.add_argument('--mode', default='inference', choices=['inference', 'training'])
    parser.add_argument('--size', default='256x256', help='frame or crop size WxH')
    parser.add_argument('--dtype', default='fp32', choices=['fp32', 'bf16'])
    parser.add_argument('--no-encoder-cache', action='store_true',
                        help='FST inference on a whole window instead of the cache')
    parser.add_argument('--out-dir', default='work_dirs/profile')
    parser.add_argument('--trace', action='store_true', help='also write a Chrome trace')
    return parser.parse_args(argv)


def kind_of(op_name):
    name = op_name.split('::')[-1]
    for kind, names in KINDS.items():
        if name in names:
            return kind
    if op_name.startswith('Optimizer.') or op_name.startswith('Adam'):
        return 'optimizer'
    return 'other'


def make_pass(args, size):
    """The callable that runs one pass, and a description of it."""
    from mmagic.registry import MODELS
    from fst_plugin.analysis.efficiency import inference_pass, training_step
    net = MODELS.build(dict(type=NETWORKS[args.network]))
    if args.mode == 'inference':
        cache = args.network == 'FST' and not args.no_encoder_cache
        return (inference_pass(net, 5, size, cache, args.dtype),
                f'{args.network} inference ({"encoder cache" if cache else "window"})')
    return training_step(net, 5, size, args.dtype), f'{args.network} training step'


def summarize(events):
    """Self CPU time per kind of work, with the largest operators of each."""
    total = sum(e.self_cpu_time_total for e in events)
    kinds = {}
    for e in events:
        if e.self_cpu_time_total <= 0:
            continue
        kind = kinds.setdefault(kind_of(e.key), dict(us=0.0, ops={}))
        kind['us'] += e.self_cpu_time_total
        kind['ops'][e.key] = kind['ops'].get(e.key, 0.0) + e.self_cpu_time_total
    rows = []
    for kind, k in sorted(kinds.items(), key=lambda kv: -kv[1]['us']):
        top = sorted(k['ops'].items(), key=lambda kv: -kv[1])[:3]
        rows.append(dict(kind=kind, ms=k['us'] / 1e3, share=k['us'] / max(total, 1e-9),
                         top=[dict(op=op, ms=us / 1e3) for op, us in top]))
    return total / 1e3, rows


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.utils import keep_freed_memory
    keep_freed_memory()  # activations reuse the heap instead of page-faulting each pass
    try:
        w, h = map(int, args.size.lower().split('x'))
    except ValueError:
        raise SystemExit(f'--size must look like 256x256 (WxH), got {args.size!r}')
    os.makedirs(args.out_dir, exist_ok=True)
    import torch
    from torch.profiler import ProfilerActivity, profile

    import fst_plugin  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    run, what = make_pass(args, (h, w))
    run()  # warm-up: first-call allocations and kernel selection
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        run()
    # page faults do not show as operators: they are time inside whichever op touches
    # freshly mapped memory first
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    total_ms, rows = summarize(prof.key_averages())
    title = f'{what}, {w}x{h}, {args.dtype}, {torch.get_num_threads()} threads'
    lines = [f'{title}: {total_ms:.0f} ms of self CPU time, {faults:,} minor page faults',
             '',
             '| kind of work | ms | share | largest operators (ms) |', '|---|---|---|---|']
    for r in rows:
        top = ', '.join(f'{t["op"]} {t["ms"]:.0f}' for t in r['top'])
        lines.append(f'| {r["kind"]} | {r["ms"]:.0f} | {100 * r["share"]:.1f} % | {top} |')
    md = '\n'.join(lines) + '\n'
    with open(osp.join(args.out_dir, 'profile.md'), 'w') as f:
        f.write(md)
    with open(osp.join(args.out_dir, 'profile.json'), 'w') as f:
        json.dump(dict(title=title, total_ms=total_ms, minor_page_faults=faults, kinds=rows),
                  f, indent=1)
    if args.trace:
        prof.export_chrome_trace(osp.join(args.out_dir, 'trace.json'))
    print(md)


if __name__ == '__main__':
    main()
