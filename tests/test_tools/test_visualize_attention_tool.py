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
    for fusion in model.generator.fusions:  # zero logits: every temporal weight is exactly 1/T
        fusion.temporal_conv.weight.data.zero_()
        fusion.temporal_conv.bias.data.zero_()
    ckpt = str(tmp_path / 'tiny.pth')
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), ckpt)
    seq = osp.join(tiny_gopro, 'test', sorted(os.listdir(osp.join(tiny_gopro, 'test')))[0])
    out = str(tmp_path / 'attn')
    proc = subprocess.run([sys.executable, 'tools/analysis_tools/visualize_attention.py', config, ckpt, seq,
                           '--frame', '1', '--out-dir', out], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=ROOT, PYTHONWARNINGS='ignore'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(out)) == sorted(
        f'{kind}_s{s}.png' for kind in ('spatial', 'temporal', 'pixel_choice')
        for s in range(3))
    # the printed weights are the checkpoint's: 3 scales x N=4 rows of 1/5 each (a random
    # initialisation is only near 0.20 and printed 0.19-0.21 with some seeds)
    assert proc.stdout.count('0.20 0.20 0.20 0.20 0.20') == 3 * 4, proc.stdout
