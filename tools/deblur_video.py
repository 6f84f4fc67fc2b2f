"""Deblur your own video (or folder of frames) with a trained FST, EDVR or STFAN model.

    python tools/deblur_video.py INPUT OUTPUT                      # the shipped FST model
    python tools/deblur_video.py CONFIG CHECKPOINT INPUT OUTPUT [--tile auto|none|256]
        [--side-by-side] [--device cuda --dtype fp16] [--no-encoder-cache]
        [--trust-checkpoint]

CHECKPOINT is read weights-only (safetensors or a weights-only .pth: nothing in it runs);
an MMEngine training checkpoint needs --trust-checkpoint or tools/model_converters/convert_checkpoint.py.

INPUT/OUTPUT: a video file (.mp4/.avi/.mov/..., OpenCV) or a folder of frames. A video
output keeps the input's fps and frame count; a folder output keeps the frame names (as
PNG). Frames are streamed: a long video never sits in memory. --tile auto (the default)
measures the model's memory per pixel, compares it with the memory available (system,
memory cgroup or CUDA device) and picks whole frames or the largest tile that fits; a
window that still runs out of memory is retried with half the tile. No ground truth is
needed.
"""
import argparse
import os
import os.path as osp
import resource
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def tile_arg(text):
    if text in ('auto', 'none'):
        return None if text == 'none' else text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'auto', 'none' or a number of pixels, "
                                         f'got {text!r}') from None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Deblur a video or a folder of frames',
        usage='%(prog)s [CONFIG CHECKPOINT] INPUT OUTPUT [options]')
    parser.add_argument('paths', nargs='+', metavar='[CONFIG CHECKPOINT] INPUT OUTPUT',
                        help='INPUT: video file or folder of frames; OUTPUT: video file '
                        '(.mp4/.avi/...) or folder. Without CONFIG and CHECKPOINT the '
                        'shipped FST weights are used')
    parser.add_argument('--device', default=None, help='cpu, cuda, cuda:1 (default: cuda '
                        'if available, else cpu)')
    parser.add_argument('--dtype', default='auto', choices=['auto', 'fp32', 'fp16', 'bf16'],
                        help="'auto' (default): bf16 autocast on CPUs with AMX or "
                        'AVX512-BF16 and on CUDA, fp32 on other CPUs; fp32 forces full '
                        'precision; fp16 autocast (CUDA); bf16 autocast (CUDA or CPU)')
    parser.add_argument('--tile', type=tile_arg, default='auto',
                        help="'auto' (default): whole frames or the largest tile that fits "
                        "in the memory available; 'none': whole frames; N: tiles of N "
                        'pixels')
    parser.add_argument('--tile-overlap', type=int, default=32)
    parser.add_argument('--no-encoder-cache', action='store_true',
                        help='FST: re-encode every frame for every window')
    parser.add_argument('--release-memory', action='store_true',
                        help='hand freed memory back to the system after every frame '
                        '(by default it is kept in the process when twice the planned '
                        'peak fits, which is about twice as fast on a CPU at 1280x720)')
    parser.add_argument('--self-ensemble', action='store_true',
                        help='x8 self-ensemble: average the outputs of the 8 flips/transposes '
                        '(~8x slower)')
    parser.add_argument('--min-change', type=float, default=0.0, metavar='LEVELS',
                        help='shrink every change the model makes to a pixel by LEVELS grey '
                        'levels (0-255), dropping smaller ones: for footage that is mostly '
                        'sharp (default 0: the output as the model gives it)')
    parser.add_argument('--temporal-radius', type=int, default=None, metavar='R',
                        help='sliding-window models: use only the neighbours within R frames '
                        'of each frame (0: each frame alone), for fast pans or low frame '
                        'rates, where the shipped weights lose from their neighbours')
    parser.add_argument('--side-by-side', action='store_true',
                        help='write input | output next to each other')
    parser.add_argument('--max-frames', type=int, default=None)
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an existing output')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load a full training checkpoint (unpickling can run code from '
                        'the file; only for files you trust)')
    args = parser.parse_args(argv)
    if len(args.paths) == 2:
        args.config, args.checkpoint = None, None
    elif len(args.paths) == 4:
        args.config, args.checkpoint = args.paths[:2]
    else:
        parser.error(f'expected INPUT OUTPUT or CONFIG CHECKPOINT INPUT OUTPUT, got '
                     f'{len(args.paths)} paths')
    args.input, args.output = args.paths[-2:]
    return args


def fail(msg):
    sys.exit(f'deblur_video.py: {msg}')


def main(argv=None):
    args = parse_args(argv)
    if args.checkpoint is None:
        from fst_plugin.apis import default_weights
        try:
            args.checkpoint = default_weights()
        except FileNotFoundError as err:
            fail(err)
    for path, what in ((args.config, 'config'), (args.checkpoint, 'checkpoint')):
        if path is not None and not osp.isfile(path):
            fail(f'{what} {path} does not exist')
    if not 0 <= args.min_change < 255:
        fail(f'--min-change is in grey levels, 0 <= LEVELS < 255, got {args.min_change:g}')
    if args.temporal_radius is not None and args.temporal_radius < 0:
        fail(f'--temporal-radius must be >= 0, got {args.temporal_radius}')
    if not osp.exists(args.input):
        fail(f'input {args.input} does not exist')
    if osp.abspath(args.input) == osp.abspath(args.output):
        fail('output must differ from input (the input is never overwritten)')
    if osp.exists(args.output) and not args.overwrite and (
            osp.isfile(args.output) or os.listdir(args.output)):
        fail(f'output {args.output} exists; pass --overwrite to replace it')

    import numpy as np

    from fst_plugin.apis import VideoDeblurInferencer
    from fst_plugin.utils.precision import describe_cpu
    from fst_plugin.utils.video_io import (FrameWriter, is_video_file, iter_frames,
                                           list_image_files, video_properties)

    names, fps = None, 24.0
    try:
        if osp.isdir(args.input):
            files = list_image_files(args.input)
            if not files:
                fail(f'{args.input} holds no image frames')
            names, total = [osp.basename(f) for f in files], len(files)
        elif is_video_file(args.input):
            fps, total, _, _ = video_properties(args.input)
            fps = fps if fps and fps > 0 else 24.0
        else:
            fail(f'input {args.input} is neither a folder nor a video file')
        if args.max_frames:
            total = min(total, args.max_frames) if total else args.max_frames
        inferencer = VideoDeblurInferencer(
            args.config, args.checkpoint, device=args.device, dtype=args.dtype,
            tile=args.tile, tile_overlap=args.tile_overlap,
            encoder_cache=not args.no_encoder_cache, trust_checkpoint=args.trust_checkpoint,
            self_ensemble=args.self_ensemble, min_change=args.min_change,
            temporal_radius=args.temporal_radius, keep_memory=not args.release_memory,
            log=lambda msg: print(msg, file=sys.stderr, flush=True))
    except (ValueError, RuntimeError, OSError) as err:
        fail(err)

    # peak RSS so far: interpreter, libraries and the model, before any frame is read
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kind = 'recurrent' if inferencer.recurrent else f'window of {inferencer.num_frames}'
    print(f'{type(inferencer.net).__name__} ({kind}) on {inferencer.device}, '
          f'{inferencer.precision} ({args.dtype}), tile={args.tile or "none"}, encoder cache='
          f'{"allowed" if inferencer.cache_enabled else "off"}'
          f'{f", min change {args.min_change:g} levels" if args.min_change else ""}'
          f'{"" if args.temporal_radius is None else f", temporal radius {args.temporal_radius}"}'
          f': '
          f'{args.input} -> {args.output}', flush=True)
    if inferencer.device.type == 'cpu':
        print(f'CPU: {describe_cpu()}', flush=True)
    inputs = []

    def source():
        for frame in iter_frames(args.input, args.max_frames):
            if args.side_by_side:
                inputs.append(frame)
            yield frame

    start, done = time.time(), 0
    try:
        with FrameWriter(args.output, fps=fps, names=names) as writer:
            for out in inferencer(source()):
                writer.write(np.concatenate([inputs.pop(0), out], axis=1)
                             if args.side_by_side else out)
                done += 1
                elapsed = time.time() - start
                rate = done / elapsed
                eta = (total - done) / rate if total else 0
                print(f'\r[{done}/{total or "?"}] {rate:.2f} frames/s, elapsed '
                      f'{elapsed:.0f} s, ETA {eta:.0f} s   ', end='', file=sys.stderr,
                      flush=True)
    except (ValueError, RuntimeError, OSError, MemoryError) as err:
        fail(f'\n{err} ({done} frames were written to {args.output})')
    elapsed = time.time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'\nwrote {done} frames to {args.output} in {elapsed:.1f} s '
          f'({done / max(elapsed, 1e-9):.2f} frames/s); peak RSS {peak:.0f} MiB '
          f'({loaded:.0f} MiB with the model loaded, before the first frame); '
          f'{inferencer.plan.describe() if inferencer.plan else ""}; freed memory '
          f'{"kept" if inferencer.memory_kept else "released"}; encoder runs '
          f'{inferencer.stats["encoded"]}, out-of-memory retries {inferencer.stats["retries"]}',
          flush=True)


if __name__ == '__main__':
    main()
