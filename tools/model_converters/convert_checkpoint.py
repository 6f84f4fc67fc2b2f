"""Write the model-only weights of a checkpoint as safetensors (or a weights-only .pth).

    python tools/model_converters/convert_checkpoint.py work_dirs/fst_gopro/iter_263000.pth \
        fst_gopro.safetensors --trust-checkpoint

The output holds the weights and, as metadata, the config the checkpoint was trained with
(MMEngine keeps it in ``meta['cfg']``), its iteration and source, so ``tools/test.py``,
``tools/deblur_video.py`` and ``fst_plugin.apis.load_model`` load it without running any
code from a file. An MMEngine training checkpoint is a pickle that only a full load can
read (it may run code from the file): --trust-checkpoint says you trust where it came from.
tools/train.py writes ``<work_dir>/iter_<N>.safetensors`` itself at the end of training.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='checkpoint to convert')
    parser.add_argument('output', help='*.safetensors (recommended) or *.pth (weights-only)')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load CHECKPOINT with full unpickling (needed for MMEngine '
                        'training checkpoints; can run code from the file)')
    parser.add_argument('--overwrite', action='store_true')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        sys.exit(f'convert_checkpoint.py: checkpoint {args.checkpoint} does not exist')
    if osp.exists(args.output) and not args.overwrite:
        sys.exit(f'convert_checkpoint.py: {args.output} exists; pass --overwrite to replace it')
    if osp.abspath(args.output) == osp.abspath(args.checkpoint):
        sys.exit('convert_checkpoint.py: output must differ from the checkpoint')
    from fst_plugin.engine import convert_checkpoint
    try:
        meta = convert_checkpoint(args.checkpoint, args.output, trust=args.trust_checkpoint)
    except (ValueError, RuntimeError, OSError) as err:
        sys.exit(f'convert_checkpoint.py: {err}')
    print(f'wrote {args.output} ({osp.getsize(args.output) / 2**20:.1f} MiB): '
          f'experiment {meta.get("experiment_name") or "?"}, iteration '
          f'{meta.get("iteration", "?")}, config {"stored" if meta.get("config") else "absent"}')


if __name__ == '__main__':
    main()
