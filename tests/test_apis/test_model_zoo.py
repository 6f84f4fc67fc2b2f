"""The shipped FST weights load safely and deblur a pair the test makes itself.

The blur here is made differently from any training data: a straight-line motion kernel
convolved with a procedural texture the training never drew (its own seed), panned between
frames; the shipped model must still raise PSNR above the blurry input.
"""
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch

from fst_plugin.apis import DEFAULT_WEIGHTS, load_model
from fst_plugin.datasets.synthesis import random_texture
from fst_plugin.datasets.synthesis import write_blurry_video
from fst_plugin.engine import read_metadata
from fst_plugin.utils.video_io import video_properties

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# the shipped weights (FST + local path: WiSE-FT of pilot 12's soup and photo run D, a = 0.7)
# measure +0.106 dB on this pair (24.39 dB before; pilot 12's soup, shipped before, +0.104;
# GPU 5b's 523 +0.108; GPU 4 +0.076, leg 3 +0.039, GPU 3 +0.031, GPU 2 +0.028, stage 9 +0.06,
# stage 6 +0.06, stage 5 +0.05; the stage-3 weights shipped earlier +0.17, while they lost
# 4.3 dB on nearly sharp real footage); the identity gives 0, so a regression to it or worse
# fails
GAIN_DB = 0.02
# hiding the neighbours (every input frame = the centre frame) changes the shipped output on
# this pair by up to 12.9 levels of 255 (pilot 12's: 11.8, GPU 5b's: 14.5, GPU 4's: 9.9, leg
# 3's: 3.6); GPU 3's weights, which read nothing from their neighbours (README, "Did the
# paper's network use its neighbours?"), by 0.06
NEIGHBOUR_EFFECT_LEVELS = 1.0
# five identical frames of a textured scene blurred by one 12 px camera shake (each copy its
# own noise): weights that deblur from the image content alone gain this much
STILL_GAIN_DB = 0.3
# five identical sharp frames come back within this PSNR of themselves (the shipped weights:
# 50.6 dB on this seed; pilot 12's 53.7 dB and above on the seeds tried)
SHARP_UNCHANGED_DB = 45.0


def _line_kernel(length: int, angle_deg: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    d = np.array([np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))])
    for t in np.linspace(-c, c, 4 * length):
        x, y = c + t * d
        k[int(round(y)), int(round(x))] = 1
    return k / k.sum()


def _clip(size=96, length=11, angle=30.0, seed=12345):
    rng = np.random.default_rng(seed)
    canvas = random_texture(size + 40, size + 40, rng, num_shapes=40)
    kernel = _line_kernel(length, angle)
    sharp, blurry = [], []
    for t in range(5):  # the camera pans 3 px per frame
        view = canvas[20:20 + size, 8 + 3 * t:8 + 3 * t + size]
        sharp.append(view)
        blurry.append(cv2.filter2D(view, -1, kernel, borderType=cv2.BORDER_REFLECT))
    return np.stack(blurry), sharp[2]


def _as_input(blurry):
    """(t, h, w, 3) uint8 -> (1, t, 3, h, w) float in [0, 1]."""
    return torch.from_numpy(blurry).permute(0, 3, 1, 2)[None].float() / 255


@pytest.fixture(scope='module')
def shipped_model():
    return load_model(None, DEFAULT_WEIGHTS)  # config from the weights' metadata


def _psnr(a, b):
    return cv2.PSNR(np.ascontiguousarray(a), np.ascontiguousarray(b))


def test_shipped_weights_are_safe_and_describe_themselves():
    assert osp.isfile(DEFAULT_WEIGHTS), 'the shipped weights are missing'
    assert DEFAULT_WEIGHTS.endswith('.safetensors')
    assert osp.getsize(DEFAULT_WEIGHTS) < 10 * 2**20
    meta = read_metadata(DEFAULT_WEIGHTS)
    assert meta['experiment_name'].startswith('fst_footage') and 'FSTNet' in meta['config']
    assert int(meta['iteration']) > 0


def test_shipped_weights_deblur_an_unseen_blur(shipped_model):
    blurry, sharp = _clip()
    with torch.no_grad():
        out = shipped_model(_as_input(blurry), mode='tensor')[0]
    restored = (out.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    before, after = _psnr(blurry[2], sharp), _psnr(restored, sharp)
    assert after > before + GAIN_DB, (before, after)


def test_shipped_weights_read_their_neighbours(shipped_model):
    x = _as_input(_clip()[0])
    centre_only = x[:, 2:3].expand_as(x)
    with torch.no_grad():
        change = (shipped_model(x, mode='tensor')
                  - shipped_model(centre_only, mode='tensor')).abs().max()
    assert change * 255 > NEIGHBOUR_EFFECT_LEVELS, float(change * 255)


def test_deblur_video_in_out_uses_the_shipped_weights(tmp_path):
    src, dst = str(tmp_path / 'shaky.avi'), str(tmp_path / 'sharp.avi')
    write_blurry_video(src, size=(64, 48), num_frames=6, fps=15, fourcc='MJPG')
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='2')
    proc = subprocess.run([sys.executable, 'tools/deblur_video.py', src, dst], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert 'FSTNet' in out and 'memory plan for 64x48: whole frames' in out
    fps, count, w, h = video_properties(dst)
    assert (count, w, h) == (6, 64, 48) and fps == pytest.approx(15)


def test_shipped_weights_fit_the_gopro_local_path_config():
    """`configs/fst/fst-local-path_1xb8-1000e_gopro.py` is the shipped network on GOPRO's protocol: its
    README command fine-tunes the shipped weights with ``load_from``, so every tensor must fit."""
    from mmengine.config import Config
    from safetensors.torch import load_file

    from mmagic.registry import MODELS
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fst', 'fst-local-path_1xb8-1000e_gopro.py'))
    model = MODELS.build(cfg.model)
    state = load_file(DEFAULT_WEIGHTS)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and not [k for k in missing if k.startswith('generator.')], (
        missing, unexpected)
    assert any(k.startswith('generator.') and 'local_path' in k for k in state)


def _still_clip(kind, seed=7, size=96):
    """Five identical frames of a photograph-like texture: blurred by one camera shake
    (each copy its own noise), or sharp."""
    from fst_plugin.datasets.synthesis.camera_shake import synthesize_clip
    rng = np.random.default_rng(seed)
    photo = random_texture(480, 360, rng, num_shapes=60)
    shake = dict(layers=(0, 0), jpeg_prob=0.0, boost_prob=0.0, noise_prob=1.0,
                 shot_noise=(1e-4, 1e-4), read_noise=(1e-3, 1e-3), frame_width=(480, 480),
                 rotation_share=(0, 0), zoom_share=(0, 0))
    clip = synthesize_clip(rng, photo, (size, size), 5, shake=shake, kind=kind, blur_px=12.0)
    return np.stack(clip['img']), clip['gt']


@pytest.mark.xfail(strict=True, reason='the shipped weights return identical blurred frames '
                   'of procedural shapes nearly unchanged (+0.01 dB here; they deblur still '
                   'photographs, docs/model_zoo.md); weights that pass this should ship')
def test_shipped_weights_deblur_a_clip_of_identical_blurred_frames(shipped_model):
    """A still camera that shook once: no neighbour is sharper, so the image content alone
    must be deblurred."""
    blurry, sharp = _still_clip('still')
    with torch.no_grad():
        out = shipped_model(_as_input(blurry), mode='tensor')[0]
    restored = (out.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    before, after = _psnr(blurry[2], sharp), _psnr(restored, sharp)
    assert after > before + STILL_GAIN_DB, (before, after)


def test_shipped_weights_leave_identical_sharp_frames_alone(shipped_model):
    frames = np.stack([_still_clip('sharp')[1]] * 5)
    with torch.no_grad():
        out = shipped_model(_as_input(frames), mode='tensor')[0]
    restored = (out.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    assert _psnr(restored, frames[2]) > SHARP_UNCHANGED_DB
