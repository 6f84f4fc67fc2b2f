"""Natural-looking procedural canvases: dead-leaves occlusion with depth-of-field defocus.

The default procedural texture (:func:`procedural.random_texture`) is saturated colour noise
with text and shapes: nothing like foliage, and sharp everywhere. Real footage is neither.
Its sharp frames are full of occluding objects at every scale (leaves, branches, parts of a
street), with the second-order statistics of natural images, and much of each frame is out of
focus. The dead-leaves model reproduces the first: discs and ellipses whose radii follow a
power law (density ~ r^-3) painted over one another give scale-invariant occlusion edges
(Lee, Mumford and Huang, *Occlusion models for natural images*, IJCV 2001; used to train
restoration networks by Achddou et al., *Synthetic images as a regularity prior for image
restoration neural networks*, SSVM 2021). A depth map made of smooth noise then blends copies
of the canvas blurred with discs of growing radius, so parts of the scene are defocused with
bokeh around bright spots, and stay so in the sharp target: camera-motion blur is to be
removed, defocus is part of the scene.
"""
from typing import Sequence, Tuple

import cv2
import numpy as np

# base colours of a palette draw (RGB): foliage, bark and soil, sky and haze, stone, skin
PALETTE = np.array([
    (46, 84, 30), (92, 128, 52), (150, 170, 90), (70, 60, 40), (120, 96, 70), (180, 160, 130),
    (200, 215, 230), (240, 245, 250), (110, 115, 125), (60, 62, 70), (210, 170, 140),
    (25, 25, 28)], np.float32)


def dead_leaves_texture(width: int, height: int, rng: np.random.Generator,
                        radius_range: Tuple[float, float] = (1.5, 80.0),
                        num_leaves: int = None, bright_share: float = 0.01) -> np.ndarray:
    """RGB uint8 (height, width, 3): opaque leaves of power-law sizes painted over each other.

    Args:
        width (int): Canvas width in pixels.
        height (int): Canvas height in pixels.
        rng (np.random.Generator): Source of everything random.
        radius_range (tuple[float, float]): Smallest and largest leaf radius, pixels; radii
            are drawn with density ~ r^-3 between them (scale-invariant occlusion).
        num_leaves (int, optional): Leaves painted. Default: enough to cover the canvas
            about 5 times over (8 times by the discs' area, ellipses' mean aspect ~0.68), so
            almost no background shows.
        bright_share (float): Share of leaves that are near-white spots (specular
            highlights, which defocus turns into bokeh discs). Default: 0.01.
    """
    lo, hi = radius_range
    if not 0 < lo < hi:
        raise ValueError(f'radius_range must be 0 < min < max, got {radius_range}')
    if num_leaves is None:  # E[r^2] under r^-3 on [lo, hi]: 2 lo^2 hi^2 ln(hi/lo) / (hi^2 - lo^2)
        mean_area = np.pi * 2 * lo ** 2 * hi ** 2 * np.log(hi / lo) / (hi ** 2 - lo ** 2)
        # centres spread over the canvas grown by the largest radius on every side
        num_leaves = int(8 * (width + 2 * hi) * (height + 2 * hi) / mean_area)
    radii = power_law_radii(rng, num_leaves, lo, hi)
    # a few palette colours per canvas, as a scene has (a tree, its bark, the sky behind)
    palette = PALETTE[rng.choice(len(PALETTE), size=int(rng.integers(3, 7)), replace=False)]
    base = palette[rng.integers(0, len(palette), num_leaves)]
    colours = np.clip(base * rng.uniform(0.6, 1.35, (num_leaves, 1))
                      + rng.normal(0, 12, (num_leaves, 3)), 0, 255)
    bright = rng.random(num_leaves) < bright_share
    colours[bright] = rng.uniform(235, 255, (int(bright.sum()), 1))
    img = np.empty((height, width, 3), np.uint8)
    img[:] = palette[0].astype(np.uint8)
    xs = rng.uniform(-hi, width + hi, num_leaves)
    ys = rng.uniform(-hi, height + hi, num_leaves)
    aspect = rng.uniform(0.35, 1.0, num_leaves)
    angles = rng.uniform(0, 180, num_leaves)
    # painted in random order, the last on top: each visible region is the nearest leaf
    for k in range(num_leaves):
        r = float(radii[k])
        colour = tuple(float(c) for c in colours[k])
        centre = (int(round(xs[k] * 4)), int(round(ys[k] * 4)))
        axes = (max(1, int(round(r * 4))), max(1, int(round(r * aspect[k] * 4))))
        cv2.ellipse(img, centre, axes, float(angles[k]), 0, 360, colour, -1, cv2.LINE_AA,
                    shift=2)
    # faint grain inside the leaves (veins, bark), a few grey levels
    grain = cv2.resize(rng.normal(0, 6, (height // 2 + 1, width // 2 + 1)).astype(np.float32),
                       (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(img.astype(np.float32) + grain[..., None], 0, 255).astype(np.uint8)


def power_law_radii(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    """``n`` radii with density ~ r^-3 on [lo, hi] (inverse CDF: P(r <= x) =
    (lo^-2 - x^-2) / (lo^-2 - hi^-2)), the size law of scale-invariant dead leaves."""
    u = rng.random(n)
    return 1.0 / np.sqrt(1 / lo ** 2 - u * (1 / lo ** 2 - 1 / hi ** 2))


def disc_kernel(radius: float) -> np.ndarray:
    """Normalised anti-aliased disc (a lens's defocus PSF) of ``radius`` pixels."""
    size = 2 * int(np.ceil(radius)) + 1
    c = size // 2
    yy, xx = np.mgrid[:size, :size] - c
    kernel = np.clip(radius + 0.5 - np.hypot(yy, xx), 0, 1).astype(np.float32)
    return kernel / kernel.sum()


def defocus(img: np.ndarray, rng: np.random.Generator, max_radius: float = 6.0,
            levels: Sequence[float] = (0.0, 0.35, 0.7, 1.0),
            focus_share: float = 0.4) -> np.ndarray:
    """Spatially varying depth-of-field blur of ``img`` (RGB uint8, h x w x 3).

    A smooth random depth map decides per pixel how far from the focal plane the scene is;
    the output blends copies of ``img`` blurred by discs of ``levels * max_radius`` pixels
    (linear interpolation between the two nearest levels). About ``focus_share`` of the area
    stays in focus.

    Args:
        img (np.ndarray): RGB uint8 image.
        rng (np.random.Generator): Source of the depth map.
        max_radius (float): Disc radius of the most defocused parts, pixels (0: unchanged).
        levels (Sequence[float]): Blur levels as fractions of ``max_radius``, ascending from 0.
        focus_share (float): Rough share of the area at the first level. Default: 0.4.
    """
    if max_radius <= 0:
        return img
    h, w = img.shape[:2]
    coarse = rng.normal(0, 1, (max(2, h // 64), max(2, w // 64))).astype(np.float32)
    depth = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    depth = (depth - np.quantile(depth, focus_share)) / (np.ptp(depth) + 1e-6)
    depth = np.clip(depth * 2 * (len(levels) - 1), 0, len(levels) - 1)
    stack = [img.astype(np.float32) if level * max_radius < 0.5 else
             cv2.filter2D(img.astype(np.float32), -1, disc_kernel(level * max_radius),
                          borderType=cv2.BORDER_REFLECT) for level in levels]
    lower = np.floor(depth).astype(int)
    frac = (depth - lower)[..., None]
    upper = np.minimum(lower + 1, len(levels) - 1)
    out = np.zeros_like(stack[0])
    for i, layer in enumerate(stack):
        weight = (lower == i)[..., None] * (1 - frac) + (upper == i)[..., None] * frac
        out += weight * layer
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def natural_texture(width: int, height: int, rng: np.random.Generator,
                    max_defocus: float = 6.0) -> np.ndarray:
    """Dead-leaves canvas with depth-of-field defocus (``max_defocus`` pixels at most, drawn
    uniformly per canvas from 0 up to it). RGB uint8 (height, width, 3)."""
    scale = min(width, height)
    img = dead_leaves_texture(width, height, rng, radius_range=(2.0, max(6.0, 0.3 * scale)))
    return defocus(img, rng, max_radius=float(rng.uniform(0, max_defocus)))
