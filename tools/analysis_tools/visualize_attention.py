"""Show where FST gathered information from: its attention maps for one frame of a clip.

    python tools/analysis_tools/visualize_attention.py CONFIG CHECKPOINT INPUT [--frame 10] [--scales 0 1 2]
        [--out-dir work_dirs/attention]

INPUT: a video file, a folder of frames, or a GOPRO sequence folder (its blur/ frames are
used). For the T frames around --frame and every fusion scale, writes:
  spatial_s<k>.png       the M spatial maps of each frame (eq. 1) over the frame
  temporal_s<k>.png      the N temporal weight vectors over the T frames (eq. 3)
  pixel_choice_s<k>.png  per pixel of the reference frame: which of the M*N descriptors
                         it mixes most (eq. 5), how confidently, and all M*N weight maps
"""
import argparse
import os
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Visualize FST attention maps')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('input', help='video file, frame folder or GOPRO sequence folder')
    parser.add_argument('--frame', type=int, default=None, help='reference frame index '
                        '(default: the middle of the first 2T frames)')
    parser.add_argument('--scales', type=int, nargs='+', default=None,
                        help='fusion scales to show (0 = finest; default all)')
    parser.add_argument('--out-dir', default='work_dirs/attention')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load a full training checkpoint (unpickling can run code from '
                        'the file; only for files you trust)')
    return parser.parse_args(argv)


def load_clip(source, frame, t):
    """T RGB frames around ``frame`` (replicate padding) and the reference index."""
    from fst_plugin.utils import iter_frames, window_indices
    if osp.isdir(osp.join(source, 'blur')):
        source = osp.join(source, 'blur')
    half = t // 2
    wanted = frame if frame is not None else half
    frames = []
    for i, img in enumerate(iter_frames(source)):
        frames.append(img)
        if i >= wanted + half:
            break
    if wanted >= len(frames):
        sys.exit(f'visualize_attention.py: --frame {wanted} but {source} has '
                 f'{len(frames)} frames')
    idx = window_indices(wanted, t, len(frames))
    return [frames[i] for i in idx], wanted


def load_fst_model(args):
    """The model of ``args.config``/``args.checkpoint``; exits unless it fuses with FSTA."""
    from fst_plugin.apis import load_model
    from fst_plugin.models.fusions import FactorizedSpatioTemporalAttention
    try:
        model = load_model(args.config, args.checkpoint,
                           trust_checkpoint=args.trust_checkpoint)
    except (ValueError, RuntimeError, OSError) as err:
        sys.exit(f'visualize_attention.py: {err}')
    net = model.generator
    if not hasattr(net, 'fusions') or not all(
            isinstance(f, FactorizedSpatioTemporalAttention) for f in net.fusions):
        sys.exit('visualize_attention.py: the model has no FactorizedSpatioTemporalAttention '
                 f'fusions ({type(net).__name__}); use an FST config')
    return net


def attention_maps(fusion, feats, ref, frame_size, padded_size):
    """One scale's maps for the reference frame, cropped to the unpadded frame.

    Returns:
        tuple: spatial (t, M, hs, ws), temporal (N, t), pixel (M*N, hs, ws) numpy arrays.
    """
    import numpy as np
    import torch
    with torch.no_grad():
        _, maps = fusion.attention(feats[None], ref)
    hs, ws = feats.shape[-2:]
    crop = (int(np.ceil(frame_size[0] * hs / padded_size[0])),
            int(np.ceil(frame_size[1] * ws / padded_size[1])))
    spatial = maps['spatial'][0, :, :, :crop[0], :crop[1]].numpy()
    temporal = maps['temporal'][0].numpy()
    pixel = maps['pixel'][0, :, :crop[0], :crop[1]].numpy()
    return spatial, temporal, pixel


def _clear_ticks(axes):
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])


def plot_spatial_maps(plt, frames, spatial, labels, title, path):
    """Each frame with each of its M spatial maps (eq. 1) laid over it."""
    import cv2
    t, m = spatial.shape[:2]
    h, w = frames[0].shape[:2]
    fig, axes = plt.subplots(t, m + 1, figsize=(2.2 * (m + 1), 2.0 * t), squeeze=False)
    for i in range(t):
        axes[i, 0].imshow(frames[i])
        axes[i, 0].set_ylabel(f'frame {labels[i]}')
        for j in range(m):
            heat = cv2.resize(spatial[i, j], (w, h), interpolation=cv2.INTER_LINEAR)
            axes[i, j + 1].imshow(frames[i])
            axes[i, j + 1].imshow(heat / max(heat.max(), 1e-12), cmap='inferno', alpha=0.65)
            if i == 0:
                axes[i, j + 1].set_title(f'spatial map m={j}', fontsize=9)
    _clear_ticks(axes.ravel())
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_temporal_weights(plt, temporal, labels, title, path):
    """The N temporal weight vectors over the T frames (eq. 3), values printed."""
    n, t = temporal.shape
    fig, ax = plt.subplots(figsize=(1.2 * t + 2, 0.6 * n + 1.6))
    im = ax.imshow(temporal, cmap='viridis', vmin=0, vmax=1)
    for a in range(n):
        for b in range(t):
            ax.text(b, a, f'{temporal[a, b]:.2f}', ha='center', va='center',
                    color='w' if temporal[a, b] < 0.6 else 'k', fontsize=8)
    ax.set_xticks(range(t), labels)
    ax.set_yticks(range(n), [f'n={a}' for a in range(n)])
    ax.set_title(title, fontsize=10)
    fig.colorbar(im, ax=ax, fraction=0.04)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_pixel_choice(plt, reference, pixel, m, n, title, path):
    """Per pixel: the most-used of the M*N descriptors (eq. 5-6), its weight, all maps."""
    choice = pixel.argmax(0)
    conf = pixel.max(0)
    cmap = plt.get_cmap('tab20', m * n)
    fig = plt.figure(figsize=(3.2 * max(n, 3), 3.0 + 2.2 * m))
    grid = fig.add_gridspec(1 + m, max(n, 3))
    ax = fig.add_subplot(grid[0, 0])
    ax.imshow(reference)
    ax.set_title('reference frame', fontsize=9)
    ax = fig.add_subplot(grid[0, 1])
    im = ax.imshow(choice, cmap=cmap, vmin=-0.5, vmax=m * n - 0.5, interpolation='nearest')
    ax.set_title('most-used descriptor (m*N+n)', fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046, ticks=range(m * n))
    ax = fig.add_subplot(grid[0, 2])
    im = ax.imshow(conf, cmap='gray', vmin=1 / (m * n), vmax=max(conf.max(), 1 / (m * n)))
    ax.set_title(f'its weight (uniform = {1 / (m * n):.3f})', fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046)
    for a in range(m):
        for b in range(n):
            ax = fig.add_subplot(grid[1 + a, b])
            ax.imshow(pixel[a * n + b], cmap='magma', vmin=pixel.min(), vmax=pixel.max())
            ax.set_title(f'descriptor m={a}, n={b}', fontsize=8)
    _clear_ticks([ax for ax in fig.axes if ax.get_label() != '<colorbar>'])
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import torch
    from mmengine.config import Config

    from fst_plugin.models.utils import pad_to_multiple
    net = load_fst_model(args)
    t = Config.fromfile(args.config).test_dataloader.dataset.get('num_input_frames', 5)
    frames, frame_idx = load_clip(args.input, args.frame, t)
    clip = torch.stack([torch.from_numpy(f).permute(2, 0, 1).float() / 255 for f in frames])
    with torch.no_grad():
        feats = net.encode(pad_to_multiple(clip, net.scale_factor))
    os.makedirs(args.out_dir, exist_ok=True)
    ref = t // 2
    labels = [f't{o:+d}' if o else 't (ref)' for o in range(-ref, t - ref)]
    scales = args.scales if args.scales is not None else range(len(feats))
    written = []
    for s in scales:
        fusion = net.fusions[s]
        m, n = fusion.num_spatial_maps, fusion.num_temporal_maps
        spatial, temporal, pixel = attention_maps(fusion, feats[s], ref, frames[0].shape[:2],
                                                  clip.shape[-2:])
        hs, ws = feats[s].shape[-2:]
        written.append(osp.join(args.out_dir, f'spatial_s{s}.png'))
        plot_spatial_maps(plt, frames, spatial, labels,
                          f'Scale {s} ({hs}x{ws}): where each frame is summarised (eq. 1, '
                          'softmax over H*W)', written[-1])
        written.append(osp.join(args.out_dir, f'temporal_s{s}.png'))
        plot_temporal_weights(plt, temporal, labels,
                              f'Scale {s}: temporal weights (eq. 3, softmax over T)',
                              written[-1])
        written.append(osp.join(args.out_dir, f'pixel_choice_s{s}.png'))
        plot_pixel_choice(plt, frames[ref], pixel, m, n,
                          f'Scale {s}: pixel-wise choice among the M*N = {m * n} global '
                          f'descriptors (eq. 5-6); weight maps share one scale '
                          f'[{pixel.min():.3f}, {pixel.max():.3f}]', written[-1])
        print(f'scale {s}: temporal weights (rows n, columns {labels}):')
        for a in range(n):
            print('   ' + ' '.join(f'{v:.2f}' for v in temporal[a]))
    print(f'frame {frame_idx} of {args.input}: wrote ' + ', '.join(written))


if __name__ == '__main__':
    main()
