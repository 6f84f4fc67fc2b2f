"""Run tools/deblur_video.py on a synthesized clip, optionally inside a memory cgroup.

    python tools/analysis_tools/benchmark_memory.py --size 1280x720 --frames 6 --limit-mib 3584
    python tools/analysis_tools/benchmark_memory.py --size 3840x2160 --frames 6
    python tools/analysis_tools/benchmark_memory.py --size 1280x720 -- --tile 256 --no-encoder-cache

Everything after ``--`` goes to deblur_video.py as options (default: none, i.e.
``--tile auto``); the model is the shipped weights unless --config/--checkpoint are given. ``--limit-mib`` runs it in a new memory cgroup with that
limit (cgroup v2 ``memory.max`` or v1 ``memory.limit_in_bytes``; needs root), the way a
container limit kills a process that exceeds it. Reports the exit status (137: killed by
the kernel), the frames written against those expected, size and fps of the output,
s/frame, peak RSS and the memory plan that deblur_video.py printed. Rows for README.
"""
import argparse
import json
import os
import os.path as osp
import re
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', default='1280x720', help='WxH of the clip')
    parser.add_argument('--frames', type=int, default=6)
    parser.add_argument('--limit-mib', type=int, default=None,
                        help='memory cgroup limit for the run (root only)')
    parser.add_argument('--config', help='model config (default: the shipped weights)')
    parser.add_argument('--checkpoint', help='weights for --config')
    parser.add_argument('--out', default=None, help='append the result as JSON to this file')
    parser.add_argument('deblur_args', nargs=argparse.REMAINDER,
                        help='-- then options for deblur_video.py')
    args = parser.parse_args(argv)
    if bool(args.config) != bool(args.checkpoint):
        parser.error('--config and --checkpoint go together')
    args.deblur_args = [a for a in args.deblur_args if a != '--']
    try:
        args.w, args.h = (int(v) for v in args.size.lower().split('x'))
    except ValueError:
        parser.error(f'--size must be WxH, got {args.size!r}')
    return args


def synthesize_clip(path, w, h, frames, fps=25.0):
    """A shaky textured clip (smooth noise pattern moving between frames)."""
    rng = np.random.default_rng(0)
    base = cv2.resize(rng.integers(0, 256, (h // 8 + 8, w // 8 + 8, 3), dtype=np.uint8),
                      (w + 64, h + 64), interpolation=cv2.INTER_CUBIC)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        sys.exit(f'benchmark_memory.py: cannot write {path}')
    for i in range(frames):
        dy, dx = rng.integers(0, 64, 2)
        writer.write(np.ascontiguousarray(base[dy:dy + h, dx:dx + w]))
    writer.release()


def make_cgroup(limit_bytes):
    """A new memory cgroup with a limit and no swap; returns its directory (v2 or v1)."""
    name = f'fst_benchmark_{os.getpid()}'
    v2 = '/sys/fs/cgroup/cgroup.controllers'
    if osp.isfile(v2) and 'memory' in open(v2).read().split():
        parent, files = '/sys/fs/cgroup', ('memory.max', 'memory.swap.max', '0')
    elif osp.isfile('/sys/fs/cgroup/memory/cgroup.procs'):
        parent = '/sys/fs/cgroup/memory'
        files = ('memory.limit_in_bytes', 'memory.memsw.limit_in_bytes', str(limit_bytes))
    else:
        sys.exit('benchmark_memory.py: no memory cgroup controller under /sys/fs/cgroup')
    path = osp.join(parent, name)
    try:
        os.makedirs(path, exist_ok=True)
        with open(osp.join(path, files[0]), 'w') as f:
            f.write(str(limit_bytes))
    except OSError as err:
        sys.exit(f'benchmark_memory.py: cannot create a memory cgroup in {parent} ({err}); '
                 '--limit-mib needs root and a writable cgroup tree')
    try:  # no swapping around the limit, where the kernel accounts swap
        with open(osp.join(path, files[1]), 'w') as f:
            f.write(files[2])
    except OSError:
        pass
    return path


def main(argv=None):
    args = parse_args(argv)
    work = tempfile.mkdtemp(prefix='fst_memory_')
    src, dst = osp.join(work, 'in.mp4'), osp.join(work, 'out.mp4')
    synthesize_clip(src, args.w, args.h, args.frames)
    model = [args.config, args.checkpoint] if args.config else []
    options = args.deblur_args
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'deblur_video.py'), *model, src, dst,
           *options]
    cgroup = make_cgroup(args.limit_mib * 2**20) if args.limit_mib else None

    def enter_cgroup():
        with open(osp.join(cgroup, 'cgroup.procs'), 'w') as f:
            f.write(str(os.getpid()))
    print(' '.join(cmd) + (f'   [memory cgroup {args.limit_mib} MiB]' if cgroup else ''),
          flush=True)
    start = time.time()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          preexec_fn=enter_cgroup if cgroup else None)
    elapsed = time.time() - start
    if cgroup:
        try:
            os.rmdir(cgroup)
        except OSError:
            pass
    log = proc.stdout
    cap = cv2.VideoCapture(dst)
    written = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) if cap.isOpened() else 0
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    fps = cap.get(cv2.CAP_PROP_FPS)
    cap.release()
    plan = re.findall(r'memory plan for [^\n]*', log)
    peak = re.findall(r'peak RSS (\d+) MiB', log)
    rate = re.findall(r'in ([\d.]+) s \(([\d.]+) frames/s\)', log)
    result = dict(size=f'{args.w}x{args.h}', frames=args.frames, limit_mib=args.limit_mib,
                  options=' '.join(options) or '(defaults)', exit=proc.returncode,
                  written=written, out_size=f'{size[0]}x{size[1]}', out_fps=fps,
                  s_per_frame=(float(rate[-1][0]) / args.frames) if rate else None,
                  wall_s=round(elapsed, 1), peak_rss_mib=int(peak[-1]) if peak else None,
                  plan=plan[-1] if plan else None)
    if proc.returncode:
        print(log[-3000:])
    print(json.dumps(result, indent=1))
    if args.out:
        with open(args.out, 'a') as f:
            f.write(json.dumps(result) + '\n')
    return result


if __name__ == '__main__':
    main()
