"""Plot a run's training curve (loss, learning rate, wall time) from MMEngine's scalars.

    python tools/analysis_tools/plot_training_curve.py work_dirs/fst_footage [--out curve.png]
        [--data-root data/footage_gopro]

Reads every ``<work_dir>/<timestamp>/vis_data/scalars.json`` (a run continued with --resume
has several; later entries win), plots the loss (smoothed) and learning rate against the
iteration with wall hours on a second axis, and prints a Markdown table of milestones.
With --data-root the loss of returning the blurry input unchanged (the identity) is drawn
for reference: the mean squared error between blurry and sharp training frames.
"""
import argparse
import glob
import json
import os.path as osp
import sys

import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir')
    parser.add_argument('--out', help='PNG (default: <work_dir>/training_curve.png)')
    parser.add_argument('--data-root', help='GOPRO-layout root: draw the identity MSE')
    parser.add_argument('--smooth', type=int, default=8, help='moving average over entries')
    return parser.parse_args(argv)


def read_scalars(work_dir):
    """{iteration: record} over all runs in the work dir, later runs winning."""
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise FileNotFoundError(f'no */vis_data/scalars.json under {work_dir}')
    records = {}
    for path in files:
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss' in rec and 'iter' in rec:
                    records[rec['iter']] = rec
    if not records:
        raise FileNotFoundError(f'{", ".join(files)}: no logged training iteration')
    return [records[k] for k in sorted(records)]


def identity_mse(data_root, every=5):
    import cv2
    files = sorted(glob.glob(osp.join(data_root, 'train', '*', 'blur', '*')))[::every]
    errs = []
    for f in files:
        blur = cv2.imread(f).astype(np.float32) / 255
        sharp = cv2.imread(f.replace(f'{osp.sep}blur{osp.sep}', f'{osp.sep}sharp{osp.sep}'))
        errs.append(float(((blur - sharp.astype(np.float32) / 255)**2).mean()))
    return float(np.mean(errs)) if errs else None


def plot(records, out, reference=None, smooth=8):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    iters = np.array([r['iter'] for r in records])
    loss = np.array([r['loss'] for r in records])
    steps = np.diff(np.concatenate([[0], iters]))
    hours = np.cumsum(steps * np.array([r['time'] for r in records])) / 3600
    k = max(1, min(smooth, len(loss)))
    smoothed = np.convolve(loss, np.ones(k) / k, mode='valid')
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(iters, loss, color='0.8', lw=0.8, label='loss (logged window mean)')
    ax.plot(iters[k - 1:], smoothed, color='C0', lw=2, label=f'loss, moving mean of {k}')
    if reference:
        ax.axhline(reference, color='C3', ls='--',
                   label=f'identity (blurry input): {reference:.2e}')
    ax.set_yscale('log')
    ax.set_xlabel('iteration')
    ax.set_ylabel('training loss')
    lr_ax = ax.twinx()
    lr_ax.plot(iters, [r['lr'] for r in records], color='C2', lw=1, label='learning rate')
    lr_ax.set_ylabel('learning rate', color='C2')
    top = ax.secondary_xaxis('top', functions=(
        lambda x: np.interp(x, iters, hours), lambda h: np.interp(h, hours, iters)))
    top.set_xlabel('wall hours')
    lines = ax.get_legend_handles_labels()[0] + lr_ax.get_legend_handles_labels()[0]
    ax.legend(lines, [ln.get_label() for ln in lines], loc='upper right', fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return iters, smoothed, hours, k


def main(argv=None):
    args = parse_args(argv)
    try:
        records = read_scalars(args.work_dir)
    except FileNotFoundError as err:
        sys.exit(f'plot_training_curve.py: {err}')
    out = args.out or osp.join(args.work_dir, 'training_curve.png')
    reference = identity_mse(args.data_root) if args.data_root else None
    iters, smoothed, hours, k = plot(records, out, reference, args.smooth)
    print('| iteration | wall hours | loss (moving mean) |\n|---|---|---|')
    marks = sorted({int(i) for i in np.linspace(k - 1, len(iters) - 1, 6)})
    for m in marks:
        print(f'| {iters[m]} | {hours[m]:.2f} | {smoothed[m - k + 1]:.2e} |')
    if reference:
        print(f'identity (blurry input) MSE on the training frames: {reference:.2e}')
    print(f'plot: {out}')


if __name__ == '__main__':
    main()
