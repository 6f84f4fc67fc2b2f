"""tools/deblur_video.py on synthesized videos and frame folders, and its error messages."""
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import save_checkpoint

from mmagic.registry import MODELS
from fst_plugin.datasets.synthesis import write_blurry_video
from fst_plugin.utils.video_io import video_properties

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = ("model = dict(generator=dict(mid_channels=(8, 8, 8), growth_channels=(4, 4, 4), "
        "num_dense_layers=1, num_decoder_blocks=(1, 1, 1)))\n")


@pytest.fixture(scope='module')
def model_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('model')
    config = str(tmp / 'tiny_fst.py')
    with open(config, 'w') as f:
        f.write(f"_base_ = [{osp.join(ROOT, 'configs', 'fst_demo.py')!r}]\n" + TINY)
    model = MODELS.build(Config.fromfile(config).model)
    ckpt = str(tmp / 'tiny_fst.pth')
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), ckpt)
    return config, ckpt


def deblur(*args, ok=True):
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='2')
    proc = subprocess.run([sys.executable, 'tools/deblur_video.py', *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert (proc.returncode == 0) == ok, out[-3000:]
    return out


def test_720p_mp4_keeps_frame_count_size_and_fps(model_files, tmp_path):
    config, ckpt = model_files
    src, dst = str(tmp_path / 'shaky.mp4'), str(tmp_path / 'out' / 'sharp.mp4')
    write_blurry_video(src, (1280, 720), num_frames=4, fps=29.97, n_avg=5)
    out = deblur(config, ckpt, src, dst, '--tile', '384', '--tile-overlap', '32')
    assert 'frames/s' in out and 'ETA' in out and 'peak RSS' in out
    fps, count, w, h = video_properties(dst)
    assert (count, w, h) == (4, 1280, 720)
    assert fps == pytest.approx(29.97, abs=0.01)


def test_frame_folder_keeps_names_and_side_by_side(model_files, tmp_path):
    config, ckpt = model_files
    src = tmp_path / 'frames'
    src.mkdir()
    rng = np.random.default_rng(0)
    for name in ('img9.png', 'img10.png', 'img11.png'):
        cv2.imwrite(str(src / name), rng.integers(0, 255, (36, 44, 3), dtype=np.uint8))
    deblur(config, ckpt, str(src), str(tmp_path / 'out'), '--side-by-side')
    assert sorted(os.listdir(tmp_path / 'out')) == ['img10.png', 'img11.png', 'img9.png']
    pair = cv2.imread(str(tmp_path / 'out' / 'img9.png'))
    assert pair.shape == (36, 88, 3)
    # an untrained FSTNet returns its input: both halves are the input frame
    assert np.abs(pair[:, :44].astype(int) - cv2.imread(str(src / 'img9.png'))).max() <= 1
    out = deblur(config, ckpt, str(src), str(tmp_path / 'alone'), '--temporal-radius', '0')
    assert 'temporal radius 0' in out and len(os.listdir(tmp_path / 'alone')) == 3


def test_errors_are_clear(model_files, tmp_path):
    config, ckpt = model_files
    garbage = tmp_path / 'broken.mp4'
    garbage.write_bytes(b'not a video at all' * 10)
    out = deblur(config, ckpt, str(garbage), str(tmp_path / 'o1.mp4'), ok=False)
    assert 'cannot open video' in out and 'broken.mp4' in out
    empty = tmp_path / 'empty'
    empty.mkdir()
    assert 'holds no image frames' in deblur(config, ckpt, str(empty), str(tmp_path / 'o2'),
                                              ok=False)
    src = str(tmp_path / 'ok.mp4')
    write_blurry_video(src, (64, 48), num_frames=2)
    out = deblur(config, ckpt, src, str(tmp_path / 'o3.xyz'), ok=False)
    assert 'use a video file' in out
    out = deblur(config, ckpt, src, src, ok=False)
    assert 'output must differ from input' in out
    out = deblur(config, ckpt, src, str(tmp_path / 'o6.mp4'), '--min-change', '-2', ok=False)
    assert '--min-change is in grey levels' in out and 'got -2' in out
    out = deblur(config, ckpt, src, str(tmp_path / 'o7.mp4'), '--temporal-radius', '-1',
                 ok=False)
    assert '--temporal-radius must be >= 0, got -1' in out
    other = MODELS.build(dict(type='STFANNet', channels=(4, 8, 8)))
    foreign = str(tmp_path / 'stfan.pth')
    save_checkpoint(dict(state_dict={f'generator.{k}': v
                                     for k, v in other.state_dict().items()}), foreign)
    out = deblur(config, foreign, src, str(tmp_path / 'o4.mp4'), ok=False)
    assert 'does not match the model' in out and 'unexpected' in out
    (tmp_path / 'taken').mkdir()
    (tmp_path / 'taken' / 'keep.png').write_bytes(b'x')
    out = deblur(config, ckpt, src, str(tmp_path / 'taken'), ok=False)
    assert 'exists; pass --overwrite' in out
    assert (tmp_path / 'taken' / 'keep.png').read_bytes() == b'x'
    if not torch.cuda.is_available():
        out = deblur(config, ckpt, src, str(tmp_path / 'o5.mp4'), '--dtype', 'fp16', ok=False)
        assert 'for CUDA devices' in out

