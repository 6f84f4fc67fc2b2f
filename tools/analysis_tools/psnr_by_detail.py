"""PSNR of the blurry input and of models, split by the sharp frame's local detail.

    python tools/analysis_tools/psnr_by_detail.py data/footage_gopro/test/cup_average_04 \
        --method shipped - fst_plugin/model_zoo/fst_footage.safetensors \
        --method leg3 configs/fst/fst-local-path_1xb4-850i_footage.py LEG3_WEIGHTS [--out bands.json]

Each SEQUENCE is a GOPRO-layout folder (``blur/`` and ``sharp/`` frames of the same names).
Pixels are split by the local detail of the sharp frame (``|Laplacian|`` of the grey image,
smoothed; ``fst_plugin.evaluation.detail_bands``) at ``--quantiles`` over the sequence, and
the PSNR of each band is taken over its pixels (pooled MSE, 8-bit output as
``tools/analysis_tools/checkpoint_curve.py``). ``-`` as CONFIG takes the config stored in a weights file.
Prints one Markdown table per sequence; ``--out`` writes the numbers as JSON.
"""
import argparse
import glob
import json
import os.path as osp
import sys

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('sequences', nargs='+', metavar='SEQUENCE',
                        help='GOPRO-layout sequence folder (blur/, sharp/)')
    parser.add_argument('--method', nargs=3, action='append', default=[],
                        metavar=('NAME', 'CONFIG', 'WEIGHTS'),
                        help="a model to score; CONFIG '-' reads it from the weights")
    parser.add_argument('--blur-type', default='blur', help='input folder (blur, blur_gamma)')
    parser.add_argument('--quantiles', type=float, nargs='+', default=[0.5, 0.9])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--out', help='JSON file for the numbers')
    return parser.parse_args(argv)


def check_layout(folder, blur_type='blur'):
    """Fail early, before the slow imports, when a sequence folder lacks a frame folder."""
    for kind in (blur_type, 'sharp'):
        if not osp.isdir(osp.join(folder, kind)):
            raise FileNotFoundError(f'{folder}/{kind} is missing (a GOPRO-layout sequence '
                                    f'has {blur_type}/ and sharp/ frame folders)')


def read_sequence(folder, blur_type='blur'):
    """``(blurry, sharp)`` RGB uint8 frames ``(t, h, w, 3)`` of a GOPRO-layout sequence,
    listed as the datasets list them (natural order; other files are an error)."""
    from fst_plugin.datasets.video_deblur_dataset import list_frames
    names = {kind: list_frames(osp.join(folder, kind)) for kind in (blur_type, 'sharp')}
    stems = {kind: [osp.splitext(n)[0] for n in v] for kind, v in names.items()}
    if not names['sharp'] or stems[blur_type] != stems['sharp']:
        raise ValueError(f'{folder}: {blur_type}/ and sharp/ must hold the same frames '
                         f'({len(names[blur_type])} and {len(names["sharp"])} found)')
    frames = {}
    for kind, files in names.items():
        stack = []
        for name in files:
            path = osp.join(folder, kind, name)
            img = cv2.imread(path, cv2.IMREAD_COLOR)
            if img is None:
                raise ValueError(f'{path} cannot be read as an image')
            stack.append(img[:, :, ::-1])
        frames[kind] = np.stack(stack)
    return frames[blur_type], frames['sharp']


def main(argv=None):
    args = parse_args(argv)
    try:
        for folder in args.sequences:
            check_layout(folder, args.blur_type)
    except FileNotFoundError as err:
        sys.exit(f'psnr_by_detail.py: {err}')
    from fst_plugin.apis import VideoDeblurInferencer
    from fst_plugin.evaluation.detail_bands import band_psnr, detail_band_masks, detail_map
    try:
        sequences = {osp.basename(osp.normpath(s)): read_sequence(s, args.blur_type)
                     for s in args.sequences}
        # the masks depend on the sharp frames alone: the same bands for every method
        bands = {name: detail_band_masks(np.stack([detail_map(f) for f in sharp]),
                                         args.quantiles)
                 for name, (_, sharp) in sequences.items()}
    except ValueError as err:
        sys.exit(f'psnr_by_detail.py: {err}')
    results = {name: {} for name in sequences}
    for name, (blurry, sharp) in sequences.items():
        results[name]['blurry input'] = band_psnr(blurry / 255.0, sharp / 255.0, bands[name])
    for method, config, weights in args.method:
        inferencer = VideoDeblurInferencer(None if config == '-' else config, weights,
                                           device=args.device, tile=None,
                                           log=lambda msg: None)
        for name, (blurry, sharp) in sequences.items():
            restored = np.stack(list(inferencer(iter(blurry))))
            results[name][method] = band_psnr(restored / 255.0, sharp / 255.0, bands[name])
            print(f'{method} on {name}: done', flush=True)
    for name, rows in results.items():
        names = [band for band, _ in bands[name]]
        print(f'\n{name} (PSNR in dB per band of sharp-frame detail, lowest first)\n')
        print('| method | ' + ' | '.join(names) + ' |')
        print('|---' * (len(names) + 1) + '|')
        for method, scores in rows.items():
            print(f'| {method} | ' + ' | '.join(f'{scores[b]:.2f}' for b in names) + ' |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(quantiles=args.quantiles, blur_type=args.blur_type,
                           results=results), f, indent=1)
        print(f'\nwritten {args.out}')
    return results


if __name__ == '__main__':
    main()
