"""tools/analysis_tools/plot_training_curve.py: MMEngine's scalars of a (resumed) run -> plot and table."""
import json
import os.path as osp
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
import plot_training_curve as tool  # noqa: E402


def _write_scalars(run_dir, records):
    (run_dir / 'vis_data').mkdir(parents=True)
    with open(run_dir / 'vis_data' / 'scalars.json', 'w') as f:
        for rec in records:
            f.write(json.dumps(rec) + '\n')


def test_resumed_run_joins_its_logs_and_plots(tmp_path, capsys):
    # first run: iterations 25 and 50; the resumed run logs 50 again (it wins) and 75, 100;
    # validation records (no loss) are left out
    _write_scalars(tmp_path / '20261206_100000',
                   [dict(iter=25, loss=0.04, lr=1e-4, time=2.0),
                    dict(iter=50, loss=0.03, lr=9e-5, time=2.0)])
    _write_scalars(tmp_path / '20261206_120000',
                   [dict(iter=50, loss=0.025, lr=9e-5, time=3.0),
                    dict(iter=75, loss=0.02, lr=5e-5, time=3.0),
                    dict(step=75, psnr=30.0),
                    dict(iter=100, loss=0.01, lr=1e-6, time=3.0)])
    records = tool.read_scalars(str(tmp_path))
    assert [r['iter'] for r in records] == [25, 50, 75, 100]
    assert records[1]['loss'] == 0.025
    tool.main([str(tmp_path), '--smooth', '2'])
    assert (tmp_path / 'training_curve.png').stat().st_size > 0
    out = capsys.readouterr().out
    # wall hours: 25 * 2 s + 25 * 3 s * 3 = 275 s
    assert f'| 100 | {275 / 3600:.2f} |' in out


def test_a_work_dir_without_logs_is_named(tmp_path):
    with pytest.raises(SystemExit, match=str(tmp_path)):
        tool.main([str(tmp_path)])
    _write_scalars(tmp_path / 'run', [dict(step=1, psnr=30.0)])
    with pytest.raises(SystemExit, match='no logged training iteration'):
        tool.main([str(tmp_path)])
