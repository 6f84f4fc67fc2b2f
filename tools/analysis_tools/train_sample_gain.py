"""Gain of a model over its blurry input on samples of its own training data.

    python tools/analysis_tools/train_sample_gain.py DATA_CONFIG WEIGHTS \
        [--model-config CONFIG] [--samples 96] [--out gains.json] [--cfg-options ...]

Tells an optimisation problem from a generalisation one: a model that stays at the identity
on unseen sources but gains on the samples it trained on has learned its data and not blur;
one that gains on neither has not learned yet. ``DATA_CONFIG``'s ``train_dataloader.dataset``
is built as training builds it (its random crops, synthesis and augmentation, seeded by
``--seed``) and ``--samples`` samples drawn from it without replacement. Each goes through
the model's data preprocessor in training mode (so the ground truth is converted like the
inputs) and the model; PSNR (0-1 range, clipped output) of the target input frame and of the
output against the ground truth. Samples whose target input equals the ground truth
(sharp-in/sharp-out pairs) have no PSNR: they are counted apart, with the mean absolute
change the model makes to them in 8-bit levels. The model comes from ``--model-config``
(default: DATA_CONFIG; ``-`` reads the config stored in the weights).
"""
import argparse
import json
import os.path as osp
import sys

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config whose train_dataloader.dataset is sampled')
    parser.add_argument('weights', help='weights of the model (safetensors or .pth)')
    parser.add_argument('--model-config', help="config of the model (default: config; '-' "
                        'reads the one stored in the weights)')
    parser.add_argument('--samples', type=int, default=96)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--blurry-below', type=float, default=40.0,
                        help='input PSNR (dB) under which a sample counts as blurry')
    parser.add_argument('--out', help='JSON file for the per-sample numbers')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='KEY=VALUE', help='overrides applied to both configs')
    args = parser.parse_args(argv)
    for name, path in (('config', args.config), ('weights', args.weights),
                       ('--model-config', args.model_config)):
        if path not in (None, '-') and not osp.isfile(path):
            parser.error(f'{name} {path} does not exist')
    if args.samples < 1:
        parser.error(f'--samples must be at least 1, got {args.samples}')
    return args


def psnr(mse):
    return float(10 * np.log10(1.0 / mse))


def summarize(rows, blurry_below):
    """Mean gains over the blurry samples, the rest, and the sharp pairs' mean change."""
    scored = [r for r in rows if r['input_psnr'] is not None]
    blurry = [r['gain'] for r in scored if r['input_psnr'] < blurry_below]
    mild = [r['gain'] for r in scored if r['input_psnr'] >= blurry_below]
    pairs = [r['sharp_pair_change'] for r in rows if r['input_psnr'] is None]
    mean = (lambda v: float(np.mean(v)) if v else None)
    return dict(samples=len(rows), blurry=len(blurry), blurry_mean_gain=mean(blurry),
                blurry_median_gain=float(np.median(blurry)) if blurry else None,
                blurry_improved=sum(g > 0 for g in blurry), mild=len(mild),
                mild_mean_gain=mean(mild), sharp_pairs=len(pairs),
                sharp_pair_mean_change=mean(pairs), blurry_below=blurry_below)


def main(argv=None):
    args = parse_args(argv)
    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope
    from mmengine.runner import set_random_seed

    import fst_plugin  # noqa: F401  (registers the datasets and models)
    from fst_plugin.apis.model_loading import load_model
    from mmagic.registry import DATASETS

    def read(path):
        cfg = Config.fromfile(path)
        cfg.merge_from_dict(args.cfg_options)
        return cfg

    cfg = read(args.config)
    model_cfg = (None if args.model_config == '-' else
                 read(args.model_config) if args.model_config else cfg)
    init_default_scope('mmagic')
    set_random_seed(args.seed)  # the dataset's crops and synthesis
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    if args.samples > len(dataset):
        sys.exit(f'--samples {args.samples}: the training set of {args.config} has only '
                 f'{len(dataset)} samples')
    model = load_model(model_cfg, args.weights).eval()
    indices = np.random.default_rng(args.seed).choice(len(dataset), args.samples,
                                                      replace=False)
    rows = []
    with torch.no_grad():
        for n, index in enumerate(indices):
            sample = dataset[int(index)]
            data = model.data_preprocessor(pseudo_collate([sample]), True)
            output = model(**data, mode='tensor').clamp(0, 1)
            gt = data['data_samples'].gt_img
            clip = data['inputs']
            target = clip[:, model.target_index(clip.size(1))].clamp(0, 1)
            mse_in = float(((target - gt) ** 2).mean())
            mse_out = float(((output - gt) ** 2).mean())
            key = sample['data_samples'].metainfo.get('key', str(index))
            if mse_in == 0:
                change = float((output - target).abs().mean()) * 255
                rows.append(dict(index=int(index), key=key, input_psnr=None,
                                 output_psnr=None, gain=None, sharp_pair_change=change))
            else:
                psnr_in, psnr_out = psnr(mse_in), psnr(max(mse_out, 1e-10))
                rows.append(dict(index=int(index), key=key, input_psnr=psnr_in,
                                 output_psnr=psnr_out, gain=psnr_out - psnr_in))
            print(f'\r{n + 1}/{len(indices)} samples', end='', file=sys.stderr, flush=True)
    print(file=sys.stderr)
    summary = summarize(rows, args.blurry_below)
    fmt = (lambda v: 'n/a' if v is None else f'{v:+.3f}')
    print(f'{args.weights} on {args.samples} training samples of {args.config}:\n'
          f'  blurry (input < {args.blurry_below:g} dB): {summary["blurry"]}, mean gain '
          f'{fmt(summary["blurry_mean_gain"])} dB, median {fmt(summary["blurry_median_gain"])}'
          f', improved {summary["blurry_improved"]}\n'
          f'  milder (input >= {args.blurry_below:g} dB): {summary["mild"]}, mean gain '
          f'{fmt(summary["mild_mean_gain"])} dB\n'
          f'  sharp pairs: {summary["sharp_pairs"]}, mean change '
          f'{fmt(summary["sharp_pair_mean_change"])} levels')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, weights=args.weights, summary=summary,
                           rows=rows), f, indent=1)
    return summary


if __name__ == '__main__':
    main()
