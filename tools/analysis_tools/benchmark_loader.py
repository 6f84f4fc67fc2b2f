"""Training data loading speed: decoding PNGs vs. reading crops from a frame store.

    python tools/analysis_tools/benchmark_loader.py                         # synthesized 1280x720 GOPRO tree
    python tools/analysis_tools/benchmark_loader.py --data-root data/GOPRO_Large \
        --store data/GOPRO_Large_store [--samples 200]

Times one data-loader worker (one process, as each DataLoader worker runs) producing
training samples of configs/fst_gopro.py's pipeline (T=5 blurry frames + the sharp frame,
a 256x256 crop, flips, transpose, temporal reversal, packing) from the PNG tree and from the
frame store, after one untimed pass so that both read from the page cache. Reports ms and
samples/s per worker, and how many workers keep a GPU busy at a given model step time
(batch 8 by default): workers = ceil(batch / (step seconds x samples/s per worker)).
Without --data-root a GOPRO-layout tree is synthesized at --size in a temporary folder.
"""
import argparse
import json
import math
import os
import os.path as osp
import sys
import tempfile
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', help='GOPRO-layout root (default: synthesize one)')
    parser.add_argument('--store', help='its frame store (default: build one next to it)')
    parser.add_argument('--size', default='1280x720', help='synthesized frame size WxH')
    parser.add_argument('--samples', type=int, default=60, help='timed samples per path')
    parser.add_argument('--crop', type=int, default=256)
    parser.add_argument('--batch', type=int, default=8, help='batch size per GPU')
    parser.add_argument('--step-seconds', type=float, nargs='+', default=[0.05, 0.1, 0.2],
                        help='model step times to size the worker count for')
    parser.add_argument('--out', help='JSON file for the numbers')
    return parser.parse_args(argv)


def prepare_data(args, tmp):
    """The dataset root and its frame store (synthesized / built when not given)."""
    from fst_plugin.datasets import build_frame_store
    root = args.data_root
    if root is None:
        from fst_plugin.datasets.synthesis import synthesize_gopro
        w, h = (int(v) for v in args.size.lower().split('x'))
        root = osp.join(tmp, 'GOPRO_Large')
        print(f'synthesizing a {w}x{h} GOPRO-layout tree in {root} ...', flush=True)
        synthesize_gopro(root, num_train=2, num_test=0, frames_per_seq=12, size=(w, h),
                         avg_range=(7, 7), seed=0, log=lambda *a: None)
    store = args.store or osp.join(tmp, 'store')
    print(f'building/checking the frame store {store} ...', flush=True)
    build_frame_store(root, store, splits=['train'], blur_types=['blur'], log=lambda *a: None)
    return root, store


def time_path(dataset, samples):
    """Seconds per sample over ``samples`` random samples, after an untimed pass."""
    import numpy as np
    rng = np.random.default_rng(0)
    order = rng.integers(len(dataset), size=samples)
    for i in range(len(dataset)):  # warm the page cache / memory maps
        dataset[i]
    np.random.seed(0)
    start = time.perf_counter()
    for i in order:
        dataset[int(i)]
    return (time.perf_counter() - start) / samples


def main(argv=None):
    args = parse_args(argv)
    import cv2
    cv2.setNumThreads(1)  # one worker = one core, as OpenCV runs inside DataLoader workers
    import torch
    torch.set_num_threads(1)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import fst_plugin  # noqa: F401  (registers the transforms)
    from fst_plugin.datasets import VideoDeblurDataset
    init_default_scope('mmagic')  # MMagic's LoadImageFromFile, as the configs build it
    base = Config.fromfile(osp.join(ROOT, 'configs', '_base_', 'datasets', 'gopro.py'))
    png_pipe = [dict(t, gt_patch_size=args.crop) if t['type'] == 'PairedRandomCrop' else t
                for t in base.train_pipeline]
    store_pipe = [dict(type='LoadFramesFromStore', gt_patch_size=args.crop)] + png_pipe[3:]
    with tempfile.TemporaryDirectory() as tmp:
        root, store = prepare_data(args, tmp)
        common = dict(data_root=root, split='train', num_input_frames=5)
        paths = {'png': VideoDeblurDataset(pipeline=png_pipe, **common),
                 'store': VideoDeblurDataset(pipeline=store_pipe, frame_store=store, **common)}
        h, w = paths['png'][0]['inputs'].shape[-2:]  # crop; frame size from the store
        frame = paths['store'].get_data_info(0)['store_size']
        rows = {}
        for name, dataset in paths.items():
            print(f'timing {name} ({args.samples} samples) ...', flush=True)
            sec = time_path(dataset, args.samples)
            rows[name] = dict(ms_per_sample=1e3 * sec, samples_per_s_per_worker=1 / sec)
    for r in rows.values():
        r['workers_for_step'] = {
            str(s): math.ceil(args.batch / (s * r['samples_per_s_per_worker']))
            for s in args.step_seconds}
    speedup = rows['png']['ms_per_sample'] / rows['store']['ms_per_sample']
    lines = [f'Training samples of {frame[1]}x{frame[0]} frames (T=5 + sharp, {h}x{w} crop, '
             'flips, packing), one worker (1 thread):', '',
             '| data path | ms / sample | samples / s / worker | ' + ' | '.join(
                 f'workers for batch {args.batch} at {s * 1e3:.0f} ms/step'
                 for s in args.step_seconds) + ' |',
             '|---' * (3 + len(args.step_seconds)) + '|']
    for name, r in rows.items():
        label = 'PNG decoding' if name == 'png' else 'frame store (memmap)'
        lines.append(f"| {label} | {r['ms_per_sample']:.2f} | "
                     f"{r['samples_per_s_per_worker']:.1f} | " + ' | '.join(
                         str(v) for v in r['workers_for_step'].values()) + ' |')
    lines += ['', f'frame store: {speedup:.1f}x the samples per second of PNG decoding']
    print('\n'.join(lines))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(frame_size=frame, crop=[h, w], batch=args.batch, paths=rows,
                           speedup=speedup), f, indent=1)


if __name__ == '__main__':
    main()
