"""Physically continuous motion blur from real low-frame-rate footage.

Averaging consecutive frames of a 10-30 fps clip (GOPRO's recipe, made for 240 fps) gives
ghosts, not blur. Here every real frame is instead seen through a virtual camera that
moves along a smooth random trajectory (sub-pixel translation, rotation and zoom) at a
high virtual frame rate, with patches cut from the footage moving over it as independent
layers; averaging the high-rate frames the GOPRO way then gives continuous blur of real
content.
"""
from typing import Iterator, List, Sequence, Tuple

import cv2
import numpy as np


class CameraMotionScene:
    """High-frame-rate frames of real footage seen by a shaking virtual camera.

    Window ``k`` (``n_avg`` consecutive high-rate frames, one blurry frame once averaged)
    shows real frame ``k * frame_step`` of ``frames``; the camera moves continuously across
    windows, so consecutive blurry frames look like a hand-held video of the real scene.
    The camera's velocity is an Ornstein-Uhlenbeck process (smooth, changing direction
    over a few frames, as a hand shakes) scaled so that the expected path of the image
    centre during one exposure is ``blur_px`` pixels; rotation and zoom velocities follow
    the same process, with their share of the motion drawn per scene; a weak spring keeps
    the view near the frame centre. Moving layers are patches cut from the footage with
    soft masks, each with its own velocity (up to ``1.5 * blur_px`` per exposure) and spin.

    Args:
        frames (Sequence[np.ndarray]): Real RGB uint8 frames (h, w, 3), all one size.
        size (tuple[int, int]): Output (width, height), at most the frames' size. The
            view covers 92 % of the frame (scaled to ``size``; smaller sizes downscale,
            which keeps the sharp frames crisp) so borders rarely show; any that do are
            reflected.
        n_avg (int): High-rate frames per window (per blurry frame).
        blur_px (float): Expected camera path per exposure, output pixels.
        seed (int): Seed of the trajectory and the layers.
        frame_step (int): Real frames advanced per window. Default: 1.
        num_layers (int): Moving patches. Default: 2.
    """

    def __init__(self, frames: Sequence[np.ndarray], size: Tuple[int, int], n_avg: int,
                 blur_px: float, seed: int, frame_step: int = 1, num_layers: int = 2):
        if len(frames) == 0:
            raise ValueError('CameraMotionScene needs at least one real frame')
        fh, fw = frames[0].shape[:2]
        self.width, self.height = size
        if self.width > fw or self.height > fh:
            raise ValueError(f'output {self.width}x{self.height} is larger than the footage '
                             f'{fw}x{fh}')
        if n_avg < 1 or blur_px < 0:
            raise ValueError(f'need n_avg >= 1 and blur_px >= 0, got {n_avg}, {blur_px}')
        self.frames, self.n_avg, self.frame_step = frames, n_avg, frame_step
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        # camera: OU velocity with correlation time of ~1.5 windows
        self.rho = float(np.exp(-1.0 / (1.5 * n_avg)))
        speed = blur_px / n_avg  # px per high-rate step
        rot_share, zoom_share = rng.uniform(0, 0.5), rng.uniform(0, 0.25)
        radius = 0.5 * float(np.hypot(self.width, self.height))
        self.sigma = np.array([speed, speed, np.degrees(rot_share * speed / radius),
                               zoom_share * speed / radius]) / np.sqrt(2)
        self.vel = rng.normal(0, 1, 4) * self.sigma
        self.pose = np.zeros(4)  # dx, dy (px), angle (deg), log zoom
        self.spring = (2 * np.pi / (20 * n_avg))**2
        self.base_zoom = max(self.width / fw, self.height / fh) / 0.92
        self.layers = [self._make_layer(blur_px) for _ in range(num_layers)]

    def _make_layer(self, blur_px: float) -> dict:
        rng = self.rng
        src = self.frames[int(rng.integers(len(self.frames)))]
        r = int(rng.uniform(0.08, 0.2) * min(self.width, self.height))
        fh, fw = src.shape[:2]
        y, x = int(rng.integers(0, fh - 2 * r)), int(rng.integers(0, fw - 2 * r))
        tex = np.ascontiguousarray(src[y:y + 2 * r + 1, x:x + 2 * r + 1])
        mask = np.zeros(tex.shape[:2], np.float32)
        if rng.random() < 0.5:
            cv2.ellipse(mask, (r, r), (r - 1, int((r - 1) * rng.uniform(0.5, 1))),
                        float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA)
        else:
            angles = np.sort(rng.uniform(0, 2 * np.pi, 7))
            pts = np.stack([r + (r - 1) * np.cos(angles), r + (r - 1) * np.sin(angles)], 1)
            cv2.fillPoly(mask, [pts.astype(np.int32)], 1.0, cv2.LINE_AA)
        step = rng.uniform(0, 1.5) * blur_px / self.n_avg
        direction = rng.uniform(0, 2 * np.pi)
        return dict(tex=tex, mask=mask, radius=r,
                    pos=np.array([rng.uniform(0.15, 0.85) * self.width,
                                  rng.uniform(0.15, 0.85) * self.height]),
                    vel=step * np.array([np.cos(direction), np.sin(direction)]),
                    angle=rng.uniform(0, 360), spin=rng.normal(0, 0.3) * step)

    def _step(self) -> None:
        noise = self.rng.normal(0, 1, 4) * self.sigma * np.sqrt(1 - self.rho**2)
        # spring back to the centre with a period of ~20 windows
        self.vel = self.rho * self.vel + noise - self.spring * self.pose
        self.pose = self.pose + self.vel
        for layer in self.layers:
            layer['pos'] = layer['pos'] + layer['vel']
            layer['angle'] += layer['spin']
            for k, extent in enumerate((self.width, self.height)):  # bounce off the borders
                if not 0 <= layer['pos'][k] <= extent:
                    layer['vel'][k] *= -1

    def render(self, real: np.ndarray) -> np.ndarray:
        """``real`` seen through the current camera pose, layers on top: RGB uint8."""
        fh, fw = real.shape[:2]
        dx, dy, angle, log_zoom = self.pose
        zoom = self.base_zoom * float(np.exp(log_zoom))
        m = cv2.getRotationMatrix2D((fw / 2 + dx, fh / 2 + dy), float(angle), zoom)
        m[:, 2] += np.array([self.width / 2 - fw / 2 - dx, self.height / 2 - fh / 2 - dy])
        frame = cv2.warpAffine(real, m, (self.width, self.height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REFLECT101)
        if not self.layers:
            return frame
        out = frame.astype(np.float32)
        for layer in self.layers:
            r = layer['radius']
            mo = cv2.getRotationMatrix2D((r, r), layer['angle'], 1.0)
            mo[:, 2] += layer['pos'] - r
            tex = cv2.warpAffine(layer['tex'], mo, (self.width, self.height),
                                 flags=cv2.INTER_CUBIC)
            alpha = cv2.warpAffine(layer['mask'], mo, (self.width, self.height),
                                   flags=cv2.INTER_LINEAR)[..., None]
            out = out * (1 - alpha) + tex.astype(np.float32) * alpha
        return np.clip(out + 0.5, 0, 255).astype(np.uint8)

    def frames_stream(self) -> Iterator[np.ndarray]:
        """High-rate frames, ``n_avg`` per real frame, until the footage runs out."""
        for k in range(0, len(self.frames), self.frame_step):
            real = self.frames[k]
            for _ in range(self.n_avg):
                self._step()
                yield self.render(real)


def read_clip(path: str, max_side: int, start: int = 0, count: int = None,
              stride: int = 1) -> List[np.ndarray]:
    """RGB frames ``start, start + stride, ...`` of a video, resized so the longer side
    is at most ``max_side`` (area interpolation keeps them sharp)."""
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise ValueError(f'cannot open video {path}')
    frames, index = [], 0
    try:
        while count is None or len(frames) < count:
            ok, bgr = cap.read()
            if not ok:
                break
            if index >= start and (index - start) % stride == 0:
                h, w = bgr.shape[:2]
                scale = max_side / max(h, w)
                if scale < 1:
                    bgr = cv2.resize(bgr, (round(w * scale), round(h * scale)),
                                     interpolation=cv2.INTER_AREA)
                frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            index += 1
    finally:
        cap.release()
    return frames
