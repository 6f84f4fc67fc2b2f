"""Procedural high-frame-rate video: textured scenes, camera shake, moving objects."""
from typing import Iterator, Tuple

import cv2
import numpy as np

from .natural_texture import dead_leaves_texture, natural_texture

TEXTURES = ('shapes', 'natural')


class ProceduralScene:
    """Render a textured scene seen by a shaking hand-held camera, with moving objects.

    Stands in for GOPRO's 240 fps footage where no video can be downloaded. The
    background is a large canvas of multi-octave noise, flat-coloured shapes, lines and
    text (sharp edges are what blur destroys). The camera follows a smooth random
    trajectory (translation + small rotation + slight zoom) with occasional jerks, and a
    few textured objects move independently (own velocity and spin), so the blur is
    non-uniform and differs between foreground and background, as in GOPRO.

    Args:
        size (tuple[int, int]): Output (width, height).
        seed (int): Seed of everything random in the scene.
        shake (float): Camera speed scale, in output pixels per high-rate frame.
            Default: 3.0.
        num_objects (int): Independently moving objects. Default: 3.
        texture (str): ``'shapes'``: colour noise with shapes, lines and text, sharp
            everywhere (:func:`random_texture`); ``'natural'``: dead leaves with
            depth-of-field defocus that the sharp frames keep
            (:func:`natural_texture.natural_texture`). Default: ``'shapes'``.
        max_defocus (float): With ``texture='natural'``: largest defocus disc radius in
            canvas pixels (drawn per scene from 0 up to it). Default: 6.0.
    """

    def __init__(self, size: Tuple[int, int], seed: int, shake: float = 3.0,
                 num_objects: int = 3, texture: str = 'shapes', max_defocus: float = 6.0):
        if texture not in TEXTURES:
            raise ValueError(f'texture must be one of {TEXTURES}, got {texture!r}')
        self.width, self.height = size
        self.texture = texture
        self.rng = np.random.default_rng(seed)
        self.shake = shake * max(self.width, self.height) / 640
        margin = int(0.6 * max(self.width, self.height))
        canvas_size = (self.width + 2 * margin, self.height + 2 * margin)
        self.canvas = random_texture(*canvas_size, self.rng) if texture == 'shapes' else \
            natural_texture(*canvas_size, self.rng, max_defocus=max_defocus)
        self.margin = margin
        self.objects = [self._make_object() for _ in range(num_objects)]
        # camera state: position (x, y) of the view centre on the canvas, angle, zoom
        self.pos = np.array([self.canvas.shape[1] / 2, self.canvas.shape[0] / 2])
        self.vel = self.rng.normal(0, self.shake, 2)
        self.angle, self.ang_vel = 0.0, 0.0
        self.zoom = 1.0

    def _make_object(self) -> dict:
        rng = self.rng
        r = int(rng.uniform(0.08, 0.18) * min(self.width, self.height))
        tex = random_texture(2 * r + 1, 2 * r + 1, rng, num_shapes=6) \
            if self.texture == 'shapes' else \
            dead_leaves_texture(2 * r + 1, 2 * r + 1, rng, radius_range=(1.5, max(3.0, r / 2)))
        mask = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
        if rng.random() < 0.5:
            cv2.ellipse(mask, (r, r), (r, int(r * rng.uniform(0.5, 1))), float(rng.uniform(0, 180)),
                        0, 360, 1.0, -1, cv2.LINE_AA)
        else:
            pts = np.array([[r + r * np.cos(a), r + r * np.sin(a)]
                            for a in np.sort(rng.uniform(0, 2 * np.pi, 6))], np.int32)
            cv2.fillPoly(mask, [pts], 1.0, cv2.LINE_AA)
        speed = rng.uniform(1.0, 3.0) * self.shake
        direction = rng.uniform(0, 2 * np.pi)
        return dict(
            tex=tex, mask=mask, radius=r,
            pos=np.array([rng.uniform(0.2, 0.8) * self.width, rng.uniform(0.2, 0.8) * self.height]),
            vel=speed * np.array([np.cos(direction), np.sin(direction)]),
            angle=rng.uniform(0, 360), spin=rng.normal(0, 1.0))

    def _step(self) -> None:
        rng = self.rng
        # smooth random acceleration with a pull back to the canvas centre, rare jerks
        centre = np.array([self.canvas.shape[1] / 2, self.canvas.shape[0] / 2])
        acc = rng.normal(0, 0.15 * self.shake, 2) + 0.002 * (centre - self.pos)
        if rng.random() < 0.01:
            acc += rng.normal(0, 2 * self.shake, 2)
        self.vel = 0.97 * self.vel + acc
        self.pos = self.pos + self.vel
        limit = np.array([self.margin, self.margin]) * 0.6
        self.pos = np.clip(self.pos, centre - limit, centre + limit)
        self.ang_vel = 0.95 * self.ang_vel + rng.normal(0, 0.02)
        self.angle += self.ang_vel
        self.zoom = float(np.clip(self.zoom * (1 + rng.normal(0, 0.001)), 0.9, 1.1))
        for obj in self.objects:
            obj['pos'] = obj['pos'] + obj['vel']
            obj['angle'] += obj['spin']
            for k, extent in enumerate((self.width, self.height)):  # bounce off the borders
                if not 0 <= obj['pos'][k] <= extent:
                    obj['vel'][k] *= -1

    def render(self) -> np.ndarray:
        """The current frame, RGB uint8 (height, width, 3)."""
        m = cv2.getRotationMatrix2D((float(self.pos[0]), float(self.pos[1])), self.angle, self.zoom)
        m[:, 2] += np.array([self.width / 2, self.height / 2]) - self.pos
        frame = cv2.warpAffine(self.canvas, m, (self.width, self.height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT).astype(np.float32)
        for obj in self.objects:
            r = obj['radius']
            mo = cv2.getRotationMatrix2D((r, r), obj['angle'], 1.0)
            mo[:, 2] += obj['pos'] - r
            tex = cv2.warpAffine(obj['tex'], mo, (self.width, self.height), flags=cv2.INTER_LINEAR)
            alpha = cv2.warpAffine(obj['mask'], mo, (self.width, self.height),
                                   flags=cv2.INTER_LINEAR)[..., None]
            frame = frame * (1 - alpha) + tex.astype(np.float32) * alpha
        return np.clip(frame + 0.5, 0, 255).astype(np.uint8)

    def frames(self) -> Iterator[np.ndarray]:
        """Endless stream of high-frame-rate frames."""
        while True:
            self._step()
            yield self.render()


def random_texture(width: int, height: int, rng: np.random.Generator,
                   num_shapes: int = None) -> np.ndarray:
    """RGB uint8 texture: multi-octave colour noise plus shapes, lines and text."""
    img = np.zeros((height, width, 3), np.float32)
    for octave, weight in ((4, 0.35), (16, 0.3), (64, 0.2), (256, 0.15)):
        cells = (max(2, height * octave // 1024), max(2, width * octave // 1024))
        noise = rng.uniform(0, 255, (*cells, 3)).astype(np.float32)
        img += weight * cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if num_shapes is None:
        num_shapes = int(width * height / 800)  # dense edges, as in street scenes
    fonts = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX)
    for _ in range(num_shapes):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        s = int(rng.integers(4, max(5, min(width, height) // 14)))
        kind = rng.integers(0, 5)
        if kind == 0:
            cv2.rectangle(img, (x, y), (x + s, y + int(s * rng.uniform(0.3, 2))), color, -1)
        elif kind == 1:
            cv2.circle(img, (x, y), s // 2, color, -1, cv2.LINE_AA)
        elif kind == 2:
            cv2.line(img, (x, y), (x + int(rng.integers(-3 * s, 3 * s)),
                                   y + int(rng.integers(-3 * s, 3 * s))), color,
                     int(rng.integers(1, 4)), cv2.LINE_AA)
        elif kind == 3:
            text = ''.join(rng.choice(list('ABCDEFGHKMNPRSTUVWXYZ0123456789'), 4))
            cv2.putText(img, text, (x, y), fonts[int(rng.integers(0, 3))], s / 30, color,
                        max(1, s // 15), cv2.LINE_AA)
        else:  # checkerboard patch
            cell = max(2, s // 6)
            yy, xx = np.mgrid[0:s, 0:s]
            patch = (((yy // cell) + (xx // cell)) % 2).astype(bool)
            region = img[y:y + s, x:x + s]
            region[patch[:region.shape[0], :region.shape[1]]] = color
    return img

