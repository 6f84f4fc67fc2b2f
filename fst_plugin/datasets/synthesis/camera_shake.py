"""Camera-like motion blur of a sharp photograph: dense sub-frames in linear light, noise.

What transfers from synthetic to real blur (RSBlur, Rim et al., ECCV 2022; GS-Blur, NeurIPS
2024): averaging sub-frames in linear light rather than in sRGB, sub-frames dense enough
along a smooth camera path that no ghost shows, saturated highlights that stay bright when
smeared, and sensor noise added after the blur. :func:`synthesize_clip` renders a clip of
T frames of a photograph seen by a hand-held camera:

1. the photograph is viewed at a random scale, as a video frame of a random width;
2. the camera pose (translation, rotation about the view centre, zoom) follows a smooth
   random path across the whole clip, sampled densely inside each exposure;
3. patches of other photographs may move over the scene as independent layers;
4. every exposure averages its sub-frames in linear light, after near-saturated pixels are
   boosted so that they clip after the blur as a real sensor's do;
5. Poisson-Gaussian noise at a random level is added in linear light, the result is
   turned into 8-bit sRGB, and some clips are JPEG-compressed as real video is.

The sharp target is the noise-free frame at the middle (in time) of the centre frame's
exposure, as GOPRO's is the middle frame of its window.
Three kinds of clip: ``moving`` (the camera moves through the clip), ``still`` (one blurred
exposure repeated, each copy with its own noise: a still camera that shook once, which
must be deblurred from the image alone) and ``sharp`` (no blur within an exposure: the
input's centre frame is the target, so sharp footage comes back unchanged).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

DEFAULT_SHAKE = dict(
    subframes=48,               # sub-frames averaged per exposure; (lo, hi): drawn per clip
    exposure=(0.5, 1.0),        # exposure as a share of the frame interval
    blur_px=(1.5, 50.0),        # camera path per exposure, output pixels, log-uniform
    rotation_share=(0.0, 0.5),  # share of the path from rotation (at the frame's corner)
    zoom_share=(0.0, 0.25),     # share of the path from zoom (at the frame's corner)
    frame_width=(320, 2560),    # the photograph is seen as a frame this wide, log-uniform
    layers=(0, 2),              # moving patches of other photographs
    layer_speed=(0.0, 1.5),     # a layer's path per exposure relative to the camera's
    highlight_boost=(1.0, 4.0), # gain of near-saturated pixels before the blur
    boost_prob=0.5,
    shot_noise=(1e-4, 1e-2),    # Poisson gain of linear intensity, log-uniform
    read_noise=(3e-4, 1e-2),    # Gaussian std in linear intensity, log-uniform
    noise_prob=0.8,
    jpeg_quality=(55, 95),
    jpeg_prob=0.3,
    still_prob=0.15,            # clip kinds: still (one exposure repeated), sharp, moving
    sharp_prob=0.1,
    linear_light=True,          # average sub-frames in linear light (False: in sRGB values)
)


def srgb_to_linear(x: np.ndarray) -> np.ndarray:
    """sRGB values in [0, 1] to linear light (IEC 61966-2-1)."""
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055)**2.4).astype(np.float32)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    """Linear light in [0, 1] to sRGB values in [0, 1]."""
    x = np.clip(x, 0, 1)
    return np.where(x <= 0.0031308, 12.92 * x,
                    1.055 * np.power(x, 1 / 2.4) - 0.055).astype(np.float32)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def smooth_path(rng: np.random.Generator, times: np.ndarray, horizon: float,
                knots_per_unit: float = 2.0, dims: int = 4) -> np.ndarray:
    """A smooth random path (len(times), dims) with zero mean velocity change scale 1.

    Velocities are drawn at knots ``1 / knots_per_unit`` apart (an AR(1) sequence, so the
    direction turns gradually), linearly interpolated and integrated: the position is
    continuously differentiable and the velocity changes direction within about a frame, as
    a hand shakes.
    """
    num_knots = int(np.ceil(horizon * knots_per_unit)) + 2
    knots = np.arange(num_knots) / knots_per_unit
    vel = np.empty((num_knots, dims))
    vel[0] = rng.normal(size=dims)
    for k in range(1, num_knots):
        vel[k] = 0.7 * vel[k - 1] + np.sqrt(1 - 0.7**2) * rng.normal(size=dims)
    fine = np.linspace(0, knots[-1], num_knots * 64)
    fine_vel = np.stack([np.interp(fine, knots, vel[:, d]) for d in range(dims)], 1)
    pos = np.concatenate([np.zeros((1, dims)),
                          np.cumsum((fine_vel[1:] + fine_vel[:-1]) / 2 * np.diff(fine)[:, None],
                                    0)])
    return np.stack([np.interp(times, fine, pos[:, d]) for d in range(dims)], 1)


def exposure_times(num_frames: int, subframes: int, exposure: float) -> np.ndarray:
    """(num_frames, subframes) sub-frame times; frame k is exposed over [k, k + exposure]."""
    offsets = (np.arange(subframes) + 0.5) / subframes * exposure
    return np.arange(num_frames)[:, None] + offsets[None, :]


def scale_to_blur(path: np.ndarray, blur_px: float, radius: float,
                  rotation_share: float, zoom_share: float) -> np.ndarray:
    """Poses (..., 4): dx, dy (px), angle (rad), log zoom, from a unit ``path`` (frames,
    subframes, 4), scaled so that the mean distance the frame's corner travels within one
    exposure is about ``blur_px``."""
    def length(p):  # mean path length within an exposure
        return float(np.mean(np.sum(np.linalg.norm(np.diff(p, axis=1), axis=-1), axis=1)))

    shares = np.array([1.0 - rotation_share - zoom_share, rotation_share, zoom_share])
    scaled = np.zeros_like(path)
    parts = (path[..., 0:2], path[..., 2:3], path[..., 3:4])
    for k, (part, share) in enumerate(zip(parts, shares)):
        lk = length(part)
        if lk > 0 and share > 0:
            target = share * blur_px
            if k == 0:
                scaled[..., 0:2] = part * target / lk
            elif k == 1:
                scaled[..., 2:3] = part * (target / radius) / lk
            else:
                scaled[..., 3:4] = part * (target / radius) / lk
    return scaled


def middle_of_exposure(poses: np.ndarray) -> np.ndarray:
    """The pose at the middle of an exposure in time, from its sub-frame poses (n, 4) at
    evenly spaced times (GOPRO's sharp frame is the middle frame of its window too)."""
    n = len(poses)
    return 0.5 * (poses[(n - 1) // 2] + poses[n // 2])


def pose_matrix(pose: np.ndarray, center_src: Tuple[float, float],
                out_size: Tuple[int, int]) -> np.ndarray:
    """2x3 affine map from source pixels to output pixels for one pose."""
    dx, dy, angle, log_zoom = pose
    zoom = float(np.exp(log_zoom))
    cos, sin = np.cos(angle) * zoom, np.sin(angle) * zoom
    cx, cy = center_src[0] + dx, center_src[1] + dy
    ox, oy = (out_size[0] - 1) / 2, (out_size[1] - 1) / 2
    return np.array([[cos, -sin, ox - cos * cx + sin * cy],
                     [sin, cos, oy - sin * cx - cos * cy]], np.float32)


def _render(src: np.ndarray, matrix: np.ndarray, out_size: Tuple[int, int],
            interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``src`` seen through one pose: bilinear for the many sub-frames of an exposure (their
    average hides its slight softness), bicubic for a single sharp frame."""
    return cv2.warpAffine(src, matrix, out_size, flags=interpolation,
                          borderMode=cv2.BORDER_REFLECT101)


def _layer(rng: np.random.Generator, photo: np.ndarray, out_size: Tuple[int, int],
           speed: float) -> dict:
    """A patch of ``photo`` (linear light) with a soft mask, its start and velocity."""
    w, h = out_size
    r = int(rng.uniform(0.1, 0.3) * min(w, h)) + 2
    ph, pw = photo.shape[:2]
    if ph < 2 * r + 2 or pw < 2 * r + 2:
        r = max(2, min(ph, pw) // 2 - 1)
    y, x = int(rng.integers(0, ph - 2 * r)), int(rng.integers(0, pw - 2 * r))
    tex = np.ascontiguousarray(photo[y:y + 2 * r, x:x + 2 * r])
    mask = np.zeros((2 * r, 2 * r), np.float32)
    cv2.ellipse(mask, (r, r), (r - 1, int((r - 1) * rng.uniform(0.5, 1.0))),
                float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.0)
    direction = rng.uniform(0, 2 * np.pi)
    return dict(tex=tex, mask=mask, r=r,
                pos=np.array([rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h]),
                vel=speed * np.array([np.cos(direction), np.sin(direction)]),
                spin=rng.normal(0, 0.02))


def _composite(frame: np.ndarray, layers: List[dict], t: float,
               out_size: Tuple[int, int]) -> np.ndarray:
    """``frame`` with every layer at time ``t`` blended over it (only within the layer's
    bounding box)."""
    w, h = out_size
    for layer in layers:
        r = layer['r']
        centre = layer['pos'] + layer['vel'] * t
        half = int(np.ceil(r * 1.42)) + 1
        x0, y0 = int(np.floor(centre[0])) - half, int(np.floor(centre[1])) - half
        x1, y1 = min(x0 + 2 * half + 1, w), min(y0 + 2 * half + 1, h)
        bx, by = max(x0, 0), max(y0, 0)
        if bx >= x1 or by >= y1:
            continue
        m = cv2.getRotationMatrix2D((r, r), float(np.degrees(layer['spin'] * t)), 1.0)
        m[:, 2] += centre - r - np.array([bx, by])
        box = (x1 - bx, y1 - by)
        tex = cv2.warpAffine(layer['tex'], m, box, flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(layer['mask'], m, box, flags=cv2.INTER_LINEAR)[..., None]
        patch = frame[by:y1, bx:x1]
        frame[by:y1, bx:x1] = patch + (tex - patch) * alpha
    return frame


def add_noise(rng: np.random.Generator, linear: np.ndarray, shot: float,
              read: float) -> np.ndarray:
    """Poisson-Gaussian sensor noise on linear intensity (Gaussian approximation)."""
    std = np.sqrt(np.clip(linear, 0, None) * shot + read**2)
    return linear + std * rng.standard_normal(linear.shape).astype(np.float32)


def to_uint8(linear: np.ndarray) -> np.ndarray:
    return np.round(linear_to_srgb(linear) * 255).astype(np.uint8)


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode('.jpg', image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1].copy()


def view_region(rng: np.random.Generator, photo: np.ndarray, out_size: Tuple[int, int],
                frame_width: float, margin: float) -> Tuple[np.ndarray, Tuple[float, float]]:
    """The part of ``photo`` (uint8 RGB) seen when the photo is a frame ``frame_width``
    wide: resized with area filtering, cut with ``margin`` pixels around an output-sized
    window at a random place. Returns (region as float sRGB in [0, 1], window centre in
    the region)."""
    ph, pw = photo.shape[:2]
    w, h = out_size
    scale = min(frame_width / pw, 1.0)
    need_w, need_h = (w + 2 * margin) / scale, (h + 2 * margin) / scale
    if need_w > pw or need_h > ph:  # the photo is too small at this scale: zoom in less
        scale = max((w + 2 * margin) / pw, (h + 2 * margin) / ph)
        need_w, need_h = (w + 2 * margin) / scale, (h + 2 * margin) / scale
    x0 = rng.uniform(0, max(pw - need_w, 0))
    y0 = rng.uniform(0, max(ph - need_h, 0))
    x1, y1 = min(int(np.ceil(x0 + need_w)) + 1, pw), min(int(np.ceil(y0 + need_h)) + 1, ph)
    x0, y0 = int(x0), int(y0)
    crop = photo[y0:y1, x0:x1]
    size = (max(int(round((x1 - x0) * scale)), w + 2), max(int(round((y1 - y0) * scale)),
                                                           h + 2))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    region = cv2.resize(crop, size, interpolation=interp).astype(np.float32) / 255
    return region, ((size[0] - 1) / 2, (size[1] - 1) / 2)


def synthesize_clip(rng: np.random.Generator, photo: np.ndarray, out_size: Tuple[int, int],
                    num_frames: int, others: Sequence[np.ndarray] = (),
                    shake: Optional[dict] = None, kind: Optional[str] = None,
                    blur_px: Optional[float] = None, all_targets: bool = False) -> Dict:
    """A blurry clip of ``photo`` and its sharp centre frame (see the module docstring).

    Args:
        rng (np.random.Generator): Source of every random choice.
        photo (np.ndarray): Sharp photograph, uint8 RGB (H, W, 3).
        out_size (tuple[int, int]): Output (width, height).
        num_frames (int): T, odd; the target is frame T // 2.
        others (Sequence[np.ndarray]): Photographs the moving layers are cut from
            (default: ``photo``).
        shake (dict, optional): Overrides of :data:`DEFAULT_SHAKE`.
        kind (str, optional): ``'moving'``, ``'still'`` or ``'sharp'``; drawn by the
            shake's probabilities when None.
        blur_px (float, optional): Camera path per exposure in output pixels; drawn from
            ``shake['blur_px']`` when None.
        all_targets (bool): Also return the sharp frame of every input frame (a test
            sequence scores them all). Default: False.

    Returns:
        dict: ``img`` (list of T uint8 RGB frames (h, w, 3)), ``gt`` (uint8 RGB (h, w, 3)),
        ``gt_frames`` (T such frames, with ``all_targets``) and ``meta`` (every choice).
    """
    if num_frames % 2 == 0:
        raise ValueError(f'num_frames must be odd (the target is the centre), got {num_frames}')
    s = dict(DEFAULT_SHAKE, **(shake or {}))
    if kind is None:
        u = rng.random()
        kind = 'still' if u < s['still_prob'] else \
            'sharp' if u < s['still_prob'] + s['sharp_prob'] else 'moving'
    if kind not in ('moving', 'still', 'sharp'):
        raise ValueError(f"kind must be 'moving', 'still' or 'sharp', got {kind!r}")
    w, h = out_size
    blur_px = _log_uniform(rng, *s['blur_px']) if blur_px is None else float(blur_px)
    exposure = float(rng.uniform(*s['exposure']))
    rot, zoom = float(rng.uniform(*s['rotation_share'])), float(rng.uniform(*s['zoom_share']))
    frame_width = _log_uniform(rng, *s['frame_width'])
    subframes = s['subframes']
    if isinstance(subframes, (tuple, list)):
        # few sub-frames leave separate copies of edges (ghosts), as averaging 7 video frames
        # does; many give the continuous smear of a real exposure
        subframes = int(round(_log_uniform(rng, *subframes)))
    subframes = int(subframes) if kind != 'sharp' else 1
    # the camera drifts between frames as much as within an exposure: a margin for both
    margin = 0.5 * np.hypot(w, h) * (np.exp(1.5 * zoom * blur_px / (0.5 * np.hypot(w, h)))
                                     - 1) + (num_frames + 1) * blur_px + 8
    region, centre = view_region(rng, photo, out_size, frame_width, margin)
    to_light = srgb_to_linear if s['linear_light'] else (lambda x: x.astype(np.float32))
    from_light = to_uint8 if s['linear_light'] else \
        (lambda x: np.round(np.clip(x, 0, 1) * 255).astype(np.uint8))
    linear = to_light(region)
    boost = 1.0
    if rng.random() < s['boost_prob']:
        boost = float(rng.uniform(*s['highlight_boost']))
        lum = linear.max(axis=2, keepdims=True)
        linear = linear * (1 + (boost - 1) * np.clip((lum - 0.85) / 0.15, 0, 1))
    clip_frames = 1 if kind == 'still' else num_frames
    times = exposure_times(clip_frames, max(subframes, 2), exposure)
    path = smooth_path(rng, times.ravel(), horizon=clip_frames + 1).reshape(*times.shape, 4)
    poses = scale_to_blur(path, blur_px, 0.5 * float(np.hypot(w, h)), rot, zoom)
    if kind == 'sharp':
        poses = poses[:, :1] * 0.2  # a slow drift, no blur within an exposure
        times = times[:, :1]
    num_layers = int(rng.integers(s['layers'][0], s['layers'][1] + 1)) if kind != 'sharp' \
        else 0
    sources = list(others) or [photo]
    layers = []
    for _ in range(num_layers):
        other = sources[int(rng.integers(len(sources)))]
        lregion, _ = view_region(rng, other, out_size, frame_width, 0)
        layers.append(_layer(rng, to_light(lregion), out_size,
                             float(rng.uniform(*s['layer_speed'])) * blur_px / exposure))
    exposures, sharps = [], []
    target = clip_frames // 2
    for k in range(clip_frames):
        acc = np.zeros((h, w, 3), np.float32)
        interpolation = cv2.INTER_LINEAR if poses.shape[1] > 1 else cv2.INTER_CUBIC
        for j in range(poses.shape[1]):
            frame = _render(linear, pose_matrix(poses[k, j], centre, out_size), out_size,
                            interpolation)
            acc += _composite(frame, layers, float(times[k, j]), out_size)
        exposures.append(np.clip(acc / poses.shape[1], 0, 1))
        if k == target or all_targets:
            mid = middle_of_exposure(poses[k])
            t_mid = float(times[k].mean())
            sharps.append(np.clip(_composite(
                _render(linear, pose_matrix(mid, centre, out_size), out_size, cv2.INTER_CUBIC),
                layers, t_mid, out_size), 0, 1))
        else:
            sharps.append(None)
    if kind == 'still':
        exposures, sharps = exposures * num_frames, sharps * num_frames
    noise = rng.random() < s['noise_prob']
    shot, read = (_log_uniform(rng, *s['shot_noise']), _log_uniform(rng, *s['read_noise'])) \
        if noise else (0.0, 0.0)
    quality = int(rng.integers(s['jpeg_quality'][0], s['jpeg_quality'][1] + 1)) \
        if rng.random() < s['jpeg_prob'] else None
    frames = []
    for exposure_linear in exposures:
        noisy = add_noise(rng, exposure_linear, shot, read) if noise else exposure_linear
        frame = from_light(noisy)
        frames.append(jpeg(frame, quality) if quality else frame)
    if kind == 'sharp':
        gt_frames = [f.copy() for f in frames]
    else:
        gt_frames = [from_light(f) if f is not None else None for f in sharps]
    gt = gt_frames[num_frames // 2]
    meta = dict(kind=kind, blur_px=round(blur_px, 2), exposure=round(exposure, 3),
                rotation_share=round(rot, 3), zoom_share=round(zoom, 3),
                frame_width=round(frame_width, 1), subframes=poses.shape[1],
                layers=num_layers, highlight_boost=round(boost, 2),
                shot_noise=shot, read_noise=read, jpeg_quality=quality,
                linear_light=bool(s['linear_light']))
    out = dict(img=frames, gt=gt, meta=meta)
    if all_targets:
        out['gt_frames'] = gt_frames
    return out
