import os
import os.path as osp
import subprocess
import sys

from mmengine.config import Config
from mmengine.runner.checkpoint import save_checkpoint

from mmagic.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_writes_spatial_temporal_and_pixel_maps(tiny_gopro, tmp_path):
    config = str(tmp_path / 'tiny.py')
    with open(config, 'w') as f:
        f.write(f"_base_ = [{osp.join(ROOT, 'configs', 'fst_demo.py')!r}]\n"
                "model = dict(generator=dict(mid_channels=(8, 8, 8), growth_channels=(4, 4, 4),"
                " num_dense_layers=1, num_decoder_blocks=(1, 1, 1)))\n")
    model = MODELS.build(Config.fromfile(config).model)
    ckpt = str(tmp_path / 'tiny.pth')
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), ckpt)
    seq = osp.join(tiny_gopro, 'test', sorted(os.listdir(osp.join(tiny_gopro, 'test')))[0])
    out = str(tmp_path / 'attn')
    proc = subprocess.run([sys.executable, 'tools/visualize_attention.py', config, ckpt, seq,
                           '--frame', '1', '--out-dir', out], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(out)) == sorted(
        f'{kind}_s{s}.png' for kind in ('spatial', 'temporal', 'pixel_choice')
        for s in range(3))
    # an untrained FSTA starts uniform over time: 5 frames -> 0.20 each
    assert '0.20 0.20 0.20 0.20 0.20' in proc.stdout
