"""Average the weights of runs that started from the same weights (a uniform model soup).

    python tools/model_converters/average_weights.py RAW_R9/ema_844.safetensors RAW_R10/ema_831.safetensors \
        --out RAW_SOUP/ema_844.safetensors
    python tools/misc/train_footage_gpu.py --export RAW_SOUP --config configs/fst/fst-local-path_1xb4-850i_footage.py

Members are safetensors files of one network (raw snapshots of tools/misc/train_footage_gpu.py
or exported weights); the output has the same tensors, each the elementwise mean. The
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
    parser.add_argument('--overwrite', action='store_true', help='replace an existing --out')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from fst_plugin.engine.weight_averaging import average_weights
    if osp.exists(args.out) and not args.overwrite:
        raise SystemExit(f'{args.out} exists; pass --overwrite to replace it')
    out = average_weights(args.members, args.out)
    print(f'mean of {len(args.members)} members -> {out}')
    return out


if __name__ == '__main__':
    main()
