"""Average the weights of runs that started from the same weights (a model soup).

    python tools/model_converters/average_weights.py \
        work_dirs/run_seed0/iter_850.safetensors work_dirs/run_seed1/iter_850.safetensors \
        --out work_dirs/soup/iter_850.safetensors

With ``--weights`` the mean is weighted: ``START TUNED --weights 0.5 0.5`` is halfway from
a start to a run fine-tuned from it (WiSE-FT, Wortsman et al., CVPR 2022). ``--set KEY=VALUE``
replaces a metadata entry of the output (members that disagree on a key get ``A / B``).

Members are safetensors weights of one network, as tools/train.py exports them (each holds
the config that builds it); the output has the same tensors, each the elementwise mean, and
the first member's config, so it loads like any exported weights. The
shipped FST weights are the soup of two CPU runs (README, Model zoo, pilot 12). Averaging
only helps members that share a start: two runs from unrelated weights give noise.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('members', nargs='+', help='two or more *.safetensors files')
    parser.add_argument('--out', required=True, help='the *.safetensors file to write')
    parser.add_argument('--weights', nargs='+', type=float, default=None,
                        help='one mixing weight per member, non-negative, summing to 1 '
                        '(default: the uniform mean)')
    parser.add_argument('--set', nargs='+', default=[], metavar='KEY=VALUE',
                        help='metadata entries of the output, e.g. experiment_name=NAME')
    parser.add_argument('--overwrite', action='store_true', help='replace an existing --out')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.engine.weight_averaging import average_weights
    if osp.exists(args.out) and not args.overwrite:
        raise SystemExit(f'{args.out} exists; pass --overwrite to replace it')
    bad = [item for item in args.set if '=' not in item or not item.split('=', 1)[0]]
    if bad:
        raise SystemExit(f'--set takes KEY=VALUE, got {bad}')
    out = average_weights(args.members, args.out, weights=args.weights,
                          set_metadata=dict(item.split('=', 1) for item in args.set))
    how = 'mean' if args.weights is None else \
        'weighted mean (' + ', '.join(f'{w:g}' for w in args.weights) + ')'
    print(f'{how} of {len(args.members)} members -> {out}')
    return out


if __name__ == '__main__':
    main()
