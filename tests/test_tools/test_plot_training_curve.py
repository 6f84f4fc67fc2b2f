"""tools/analysis_tools/plot_training_curve.py: MMEngine scalars or a train_footage_gpu.py log -> plot."""
import json
import os.path as osp
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
import plot_training_curve as tool  # noqa: E402


def test_gpu_log_gives_seconds_per_iteration_and_a_plot(tmp_path, capsys):
    log = [dict(iteration=1, seconds=50.0, loss=0.03, lr=1e-6, sequences=30),
           dict(iteration=51, seconds=60.0, loss=0.02, lr=1e-4, sequences=40),
           dict(iteration=101, seconds=65.0, loss=0.01, lr=5e-5, sequences=50)]
    (tmp_path / 'train_log.json').write_text(json.dumps(dict(iterations=101, log=log)))
    records = tool.read_scalars(str(tmp_path))
    assert [r['iter'] for r in records] == [1, 51, 101]
    assert [r['time'] for r in records] == pytest.approx([50.0, 0.2, 0.1])
    tool.main([str(tmp_path), '--smooth', '2'])
    assert (tmp_path / 'training_curve.png').stat().st_size > 0
    assert '| 101 |' in capsys.readouterr().out


def test_a_work_dir_without_logs_is_named(tmp_path):
    with pytest.raises(SystemExit, match=str(tmp_path)):
        tool.main([str(tmp_path)])
