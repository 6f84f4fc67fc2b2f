"""Held-out PSNR gain of every checkpoint of a multi-stage training, on one axis.

    python tools/plot_stage_curves.py --out docs/model_zoo/heldout_curve.png \
        stage1:work_dirs/fst_footage:0 stage2:work_dirs/fst_footage_stage2:1800 \
        stage3:work_dirs/fst_footage_stage3:3400 stage4:work_dirs/fst_footage_stage4:5800

Each argument is NAME:WORK_DIR:START, START being the cumulative iteration at which that
stage began (a stage that branches from an earlier one starts where its weights came from).
Reads each work dir's ``checkpoint_curve.json`` (written by tools/checkpoint_curve.py) and
plots the gain over the blurry input, overall (mean of sequences) and per sequence; the
numbers go to the same path with ``.json``. ``--earlier docs/model_zoo/heldout_curve.json``
takes the stages of an earlier plot from its JSON (their work dirs need not exist any more)
and adds the stages named after it:

    python tools/plot_stage_curves.py --out docs/model_zoo/heldout_curve.png \
        --earlier docs/model_zoo/heldout_curve.json gpu3:work_dirs/fst_footage_gpu3:17030
"""
import argparse
import json
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('stages', nargs='*', metavar='NAME:WORK_DIR:START')
    parser.add_argument('--out', required=True, help='PNG file')
    parser.add_argument('--earlier', metavar='JSON',
                        help='stages of an earlier plot (its .json), drawn first')
    args = parser.parse_args(argv)
    if not args.stages and not args.earlier:
        parser.error('name at least one NAME:WORK_DIR:START or --earlier')
    return args


def load_earlier(path):
    """Stages of an earlier plot's JSON: {name: dict(start=..., curve={iteration: ...})}."""
    try:
        with open(path) as f:
            earlier = json.load(f)
        return {name: dict(start=int(stage['start']),
                           curve={k: v for k, v in stage.items() if k != 'start'})
                for name, stage in earlier.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        sys.exit(f'plot_stage_curves.py: --earlier {path} is not the JSON of an earlier plot '
                 f'({err!r})')


def load_stages(specs):
    stages = {}
    for spec in specs:
        try:
            name, work_dir, start = spec.rsplit(':', 2)
            start = int(start)
        except ValueError:
            sys.exit(f'plot_stage_curves.py: {spec!r} is not NAME:WORK_DIR:START')
        path = osp.join(work_dir, 'checkpoint_curve.json')
        if not osp.isfile(path):
            sys.exit(f'plot_stage_curves.py: {path} is missing: run tools/checkpoint_curve.py '
                     f'{work_dir} first')
        stages[name] = dict(start=start, curve=json.load(open(path)))
    return stages


def main(argv=None):
    args = parse_args(argv)
    stages = load_earlier(args.earlier) if args.earlier else {}
    for name, stage in load_stages(args.stages).items():
        if name in stages:
            sys.exit(f'plot_stage_curves.py: stage {name!r} is already in --earlier '
                     f'{args.earlier}')
        stages[name] = stage
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.2))
    # one distinct colour per stage: the default cycle repeats after 10, tab20 after 20
    palette = (plt.get_cmap('tab10').colors if len(stages) <= 10 else
               plt.get_cmap('tab20').colors + plt.get_cmap('tab20b').colors)
    for k, (name, stage) in enumerate(stages.items()):
        colour = palette[k % len(palette)]
        its = sorted(int(i) for i in stage['curve'])
        xs = [stage['start'] + i for i in its]
        points = [stage['curve'][str(i)] for i in its]
        ax.plot(xs, [p['psnr'] - p['input_psnr'] for p in points], 'o-', color=colour,
                label=name)
        for s, seq in enumerate(sorted(points[0]['per_sequence'])):
            gains = [p['per_sequence'][seq][1] - p['per_sequence'][seq][0] for p in points]
            bx.plot(xs, gains, ['o-', 's-', '^-', 'v-', 'd-', 'x-'][s % 6], color=colour,
                    ms=3, lw=1, label=seq if k == 0 else None)
    for axis, title in ((ax, 'held-out gain, mean of sequences'),
                        (bx, 'held-out gain per sequence (markers) and stage (colours)')):
        axis.axhline(0, color='k', lw=0.8)
        axis.set_xlabel('cumulative training iteration')
        axis.set_ylabel('PSNR gain over the blurry input (dB)')
        axis.set_title(title, fontsize=10)
    # many stages: two columns in the empty lower right, clear of the late, high curves
    ax.legend(fontsize=7, ncol=2 if len(stages) > 10 else 1, loc='lower right')
    bx.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    with open(osp.splitext(args.out)[0] + '.json', 'w') as f:
        json.dump({n: dict(start=s['start'], **s['curve']) for n, s in stages.items()}, f,
                  indent=1)
    print(f'written {args.out} and {osp.splitext(args.out)[0]}.json')


if __name__ == '__main__':
    main()
