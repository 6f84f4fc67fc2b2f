"""PSNR and speed of inference in fp32 against bf16 (or fp16 on CUDA), on GOPRO-layout data.

    python tools/analysis_tools/dtype_psnr.py DATA_ROOT [--split test] [--dtypes fp32 bf16]
        [--config C --checkpoint W] [--device cpu] [--out-dir work_dirs/dtype_psnr]

Runs tools/deblur_video.py's inferencer (whole frames, encoder cache) over every
sequence's blurry frames once per dtype, and reports per sequence and overall the mean
PSNR against the sharp frames (MMagic's psnr on the 8-bit outputs), the change against
the first dtype, the mean absolute difference between the dtypes' outputs and seconds per
frame. Without --config/--checkpoint it uses the shipped weights. Writes dtype_psnr.json
and dtype_psnr.md.
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


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='fp32 vs bf16 inference PSNR (not a test)')
    parser.add_argument('data_root', help='GOPRO-layout root (e.g. data/demo_gopro)')
    parser.add_argument('--split', default='test')
    parser.add_argument('--blur-dir', default='blur')
    parser.add_argument('--dtypes', nargs='+', default=['fp32', 'bf16'],
                        choices=['fp32', 'bf16', 'fp16'])
    parser.add_argument('--config', default=None)
    parser.add_argument('--checkpoint', default=None)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--out-dir', default='work_dirs/dtype_psnr')
    return parser.parse_args(argv)


def read_sequence(folder, names):
    import cv2
    frames = []
    for name in names:
        img = cv2.imread(osp.join(folder, name), cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f'dtype_psnr.py: cannot read {osp.join(folder, name)}')
        frames.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    return frames


def main(argv=None):
    args = parse_args(argv)
    split_root = osp.join(args.data_root, args.split)
    if not osp.isdir(split_root):
        raise SystemExit(f'dtype_psnr.py: {split_root} does not exist (a GOPRO-layout root '
                         'with train/ and test/; tools/dataset_converters/synthesize_gopro.py makes one)')
    if (args.config is None) != (args.checkpoint is None):
        raise SystemExit('dtype_psnr.py: pass both --config and --checkpoint, or neither '
                         '(the shipped weights)')
    import numpy as np

    import fst_plugin  # noqa: F401
    from fst_plugin.apis import VideoDeblurInferencer, default_weights
    from fst_plugin.datasets.video_deblur_dataset import list_frames
    from mmagic.evaluation.metrics.psnr import psnr
    checkpoint = args.checkpoint or default_weights()
    os.makedirs(args.out_dir, exist_ok=True)
    sequences = sorted(d for d in os.listdir(split_root) if osp.isdir(osp.join(split_root, d)))
    results, outputs = {}, {}
    for dtype in args.dtypes:
        inferencer = VideoDeblurInferencer(args.config, checkpoint, device=args.device,
                                           dtype=dtype, tile=None, log=lambda msg: None)
        per_seq = {}
        for seq in sequences:
            blur_dir = osp.join(split_root, seq, args.blur_dir)
            sharp_dir = osp.join(split_root, seq, 'sharp')
            names = list_frames(blur_dir)
            blurry = read_sequence(blur_dir, names)
            sharp = read_sequence(sharp_dir, list_frames(sharp_dir))
            start = time.perf_counter()
            restored = list(inferencer(iter(blurry)))
            seconds = (time.perf_counter() - start) / len(names)
            outputs[(dtype, seq)] = np.stack(restored)
            per_seq[seq] = dict(psnr=float(np.mean([psnr(r, s) for r, s in
                                                    zip(restored, sharp)])),
                                input_psnr=float(np.mean([psnr(b, s) for b, s in
                                                          zip(blurry, sharp)])),
                                seconds_per_frame=seconds, frames=len(names))
            print(f'{dtype} {seq}: {per_seq[seq]["psnr"]:.3f} dB, {seconds:.3f} s/frame',
                  flush=True)
        results[dtype] = per_seq
    first = args.dtypes[0]
    rows = []
    for dtype in args.dtypes:
        for seq in sequences + ['all']:
            seqs = sequences if seq == 'all' else [seq]
            frames = sum(results[dtype][s]['frames'] for s in seqs)

            def mean(key, d=dtype):
                return sum(results[d][s][key] * results[d][s]['frames'] for s in seqs) / frames
            diff = np.mean([np.abs(outputs[(dtype, s)].astype(int) -
                                   outputs[(first, s)].astype(int)).mean() for s in seqs])
            rows.append(dict(dtype=dtype, sequence=seq, frames=frames, psnr=mean('psnr'),
                             input_psnr=mean('input_psnr'),
                             change_db=mean('psnr') - mean('psnr', first),
                             mean_abs_diff=float(diff),
                             seconds_per_frame=mean('seconds_per_frame')))
    lines = [f'{checkpoint} on {split_root} ({args.blur_dir}), device {args.device}, whole '
             'frames, encoder cache', '',
             f'| dtype | sequence | frames | input PSNR | PSNR | change vs {first} (dB) | '
             f'mean abs. difference vs {first} (levels) | s / frame |',
             '|---|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f'| {r["dtype"]} | {r["sequence"]} | {r["frames"]} | '
                     f'{r["input_psnr"]:.3f} | {r["psnr"]:.3f} | {r["change_db"]:+.4f} | '
                     f'{r["mean_abs_diff"]:.3f} | {r["seconds_per_frame"]:.3f} |')
    md = '\n'.join(lines) + '\n'
    with open(osp.join(args.out_dir, 'dtype_psnr.md'), 'w') as f:
        f.write(md)
    with open(osp.join(args.out_dir, 'dtype_psnr.json'), 'w') as f:
        json.dump(dict(checkpoint=checkpoint, data_root=args.data_root, rows=rows), f,
                  indent=1)
    print(md)


if __name__ == '__main__':
    main()
