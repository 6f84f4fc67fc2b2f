"""PSNR of a run's checkpoints on a GOPRO-layout split: a learning curve in dB.

    python tools/analysis_tools/checkpoint_curve.py work_dirs/fst_footage --data-root data/footage_gopro \
        [--split test] [--out curve.png] [--self-ensemble] [--sharp-input] \
        [--min-change LEVELS] [--frame-interval K] [--trust-own-checkpoints]

Every ``iter_<N>.pth`` / ``iter_<N>.safetensors`` in the work dir is run over every sequence
of the split with ``VideoDeblurInferencer`` (the same sliding window as
``tools/deblur_video.py``) and scored against the sharp frames (PSNR of the 8-bit output, as
a saved frame would be). Results are cached in ``<work_dir>/checkpoint_curve.json`` (or
``--cache``, one file per data root and split; a mismatch is an error), so the tool can be
rerun while training goes on (checkpoints that MMEngine later deletes keep their
scores). On the held-out test split this is a curve to look at, never a selector; a
validation split made from training clips (e.g. ``tools/dataset_converters/synthesize_footage.py --held-out box
--splits test --seed 7 --out data/footage_val``) is what may choose between runs.

``--sharp-input`` feeds the *sharp* frames as input and scores the output against them: how
much a model alters frames that need no fixing (the input scores as identical, PSNR ~361 dB).
A validation gain can hide such damage when the validation set has no nearly sharp footage.
``--min-change`` scores the outputs with the inference option of that name (changes under
LEVELS grey levels dropped, larger ones shrunk by it). ``--frame-interval K`` restores each
sequence as K interleaved videos (frames r, r + K, r + 2K, ... for r < K), each a real video of
a K times lower frame rate, so every frame is still scored but its neighbours are K stored
frames apart: how the weights cope with footage whose frames line up less than their
training footage did (``tools/test.py --frame-interval`` is the same for a config's test
set; it pads a window's ends across the interleaved videos, this tool within each).
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir')
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--split', default='test')
    parser.add_argument('--config', help='default: the config file in the work dir')
    parser.add_argument('--out', help='PNG (default: <work_dir>/checkpoint_curve.png)')
    parser.add_argument('--cache', help='JSON of scores (default: <work_dir>/'
                        'checkpoint_curve.json); one file per data root and split')
    parser.add_argument('--self-ensemble', action='store_true',
                        help='score the x8 self-ensemble (recorded in the cache: a cache of '
                        'the other kind is refused)')
    parser.add_argument('--sharp-input', action='store_true',
                        help='feed the sharp frames as input (a model should leave them '
                        'alone); recorded in the cache like --self-ensemble')
    parser.add_argument('--min-change', type=float, default=0.0, metavar='LEVELS',
                        help='score with VideoDeblurInferencer(min_change=LEVELS); recorded '
                        'in the cache like --self-ensemble')
    parser.add_argument('--frame-interval', type=int, default=1, metavar='K',
                        help='neighbours K stored frames apart (each sequence restored as K '
                        'interleaved lower-rate videos); recorded in the cache like '
                        '--self-ensemble')
    parser.add_argument('--trust-own-checkpoints', action='store_true',
                        help='read the work dir\'s MMEngine .pth checkpoints with full '
                        'unpickling (they are your own run\'s files)')
    args = parser.parse_args(argv)
    if args.frame_interval < 1:
        parser.error(f'--frame-interval must be >= 1, got {args.frame_interval}')
    return args


# the scoring options recorded with every cached score, and their defaults (what entries
# written before an option existed were scored with)
SCORING_DEFAULTS = dict(self_ensemble=False, sharp_input=False, min_change=0.0, frame_interval=1)


def option_text(name, value):
    """The command-line form of a scoring option: ``--sharp-input``, ``--min-change 2``."""
    flag = '--' + name.replace('_', '-')
    return flag if isinstance(value, bool) else f'{flag} {value:g}'


def restore_interleaved(inferencer, frames, interval):
    """Outputs of ``inferencer`` for ``frames``, restored as ``interval`` interleaved videos
    (frames r, r + interval, ...), in the original order."""
    outs = [None] * len(frames)
    for r in range(min(interval, len(frames))):
        for i, out in zip(range(r, len(frames), interval), inferencer(frames[r::interval])):
            outs[i] = out
    return outs


def checkpoints(work_dir):
    found = {}
    for path in glob.glob(osp.join(work_dir, 'iter_*.*')):
        m = re.fullmatch(r'iter_(\d+)\.(pth|safetensors)', osp.basename(path))
        if m:  # prefer the safe file when both exist
            it = int(m.group(1))
            if it not in found or path.endswith('.safetensors'):
                found[it] = path
    return dict(sorted(found.items()))


def score(config, ckpt, data_root, split, trust, self_ensemble=False, sharp_input=False,
          min_change=0.0, frame_interval=1):
    import cv2
    import numpy as np

    from fst_plugin.apis import VideoDeblurInferencer
    from fst_plugin.utils.video_io import list_image_files
    inferencer = VideoDeblurInferencer(config, ckpt, device='cpu', trust_checkpoint=trust,
                                       self_ensemble=self_ensemble, min_change=min_change)
    per_seq = {}
    for seq in sorted(glob.glob(osp.join(data_root, split, '*', 'blur'))):
        files = list_image_files(seq)
        sharps = [cv2.imread(f.replace(f'{osp.sep}blur{osp.sep}', f'{osp.sep}sharp{osp.sep}'))
                  [..., ::-1].copy() for f in files]
        frames = sharps if sharp_input else [cv2.imread(f)[..., ::-1].copy() for f in files]
        outs = restore_interleaved(inferencer, frames, frame_interval)
        gains = []
        for blurry, out, sharp in zip(frames, outs, sharps):
            gains.append((cv2.PSNR(blurry, sharp), cv2.PSNR(np.ascontiguousarray(out), sharp)))
        per_seq[osp.basename(osp.dirname(seq))] = [float(np.mean(g)) for g in zip(*gains)]
    inp = float(np.mean([v[0] for v in per_seq.values()]))
    out = float(np.mean([v[1] for v in per_seq.values()]))
    return dict(input_psnr=inp, psnr=out, per_sequence=per_seq)


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.utils import keep_freed_memory
    keep_freed_memory()  # activations reuse the heap instead of page-faulting each pass
    config = args.config or next(iter(sorted(glob.glob(osp.join(args.work_dir, '*.py')))), None)
    if config is None:
        sys.exit(f'checkpoint_curve.py: no config in {args.work_dir}; pass --config')
    cache_file = args.cache or osp.join(args.work_dir, 'checkpoint_curve.json')
    cache = json.load(open(cache_file)) if osp.isfile(cache_file) else {}
    settings = {n: getattr(args, n) for n in SCORING_DEFAULTS}
    where = dict(data_root=osp.abspath(args.data_root), split=args.split, **settings)
    # entries written before the data root was recorded carry none of these keys
    defaults = dict(where, **SCORING_DEFAULTS)
    other = [k for k, v in cache.items() if any(v.get(n, defaults[n]) != where[n] for n in where)]
    if other:
        sys.exit(f'checkpoint_curve.py: {cache_file} holds scores on another data root, '
                 f'split, ensemble, sharp-input, min-change or frame-interval setting '
                 f'(iterations {other}); pass --cache for {args.data_root}'
                 + ''.join(f' with {option_text(n, v)}' for n, v in settings.items()
                           if v != SCORING_DEFAULTS[n]))
    for it, path in checkpoints(args.work_dir).items():
        if str(it) in cache:
            continue
        try:
            cache[str(it)] = dict(score(config, path, args.data_root, args.split,
                                        args.trust_own_checkpoints, **settings),
                                  **where)
        except (ValueError, RuntimeError, OSError) as err:
            sys.exit(f'checkpoint_curve.py: {path}: {err}')
        print(f'iter {it}: {cache[str(it)]["input_psnr"]:.2f} -> {cache[str(it)]["psnr"]:.2f} dB',
              flush=True)
        with open(cache_file, 'w') as f:
            json.dump(cache, f, indent=1)
    if not cache:
        sys.exit(f'checkpoint_curve.py: no iter_<N> checkpoints in {args.work_dir}')
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    its = sorted(int(k) for k in cache)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(its, [cache[str(i)]['psnr'] for i in its], 'o-', label='model')
    if not args.sharp_input:  # a sharp input is identical to the target: no line to draw
        ax.axhline(cache[str(its[0])]['input_psnr'], color='C3', ls='--', label='blurry input')
    ax.set_xlabel('iteration')
    ax.set_ylabel(f'PSNR on {args.split}' + (' (sharp frames as input)' if args.sharp_input
                                              else '') + ' (dB)')
    ax.legend()
    fig.tight_layout()
    out = args.out or osp.join(args.work_dir, 'checkpoint_curve.png')
    fig.savefig(out, dpi=110)
    if args.sharp_input:  # the model's output against its own (sharp) input
        print('| iteration | output vs sharp input (dB) |\n|---|---|')
        for i in its:
            print(f'| {i} | {cache[str(i)]["psnr"]:.2f} |')
    else:
        print('| iteration | blurry input (dB) | model (dB) | gain (dB) |\n|---|---|---|---|')
        for i in its:
            c = cache[str(i)]
            print(f'| {i} | {c["input_psnr"]:.2f} | {c["psnr"]:.2f} | '
                  f'{c["psnr"] - c["input_psnr"]:+.2f} |')
    print(f'plot: {out}')


if __name__ == '__main__':
    main()
