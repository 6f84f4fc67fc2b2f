"""tools/plot_stage_curves.py puts the checkpoints of several stages on one axis."""
import json
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def fake_curve(work, gains):
    work.mkdir()
    curve = {str(it): dict(input_psnr=30.0, psnr=30.0 + g,
                           per_sequence={'a': [28.0, 28.0 + g], 'b': [32.0, 32.0 + g]})
             for it, g in gains.items()}
    (work / 'checkpoint_curve.json').write_text(json.dumps(curve))


def test_stages_are_offset_and_merged(tmp_path):
    fake_curve(tmp_path / 's1', {200: -0.1, 400: 0.2})
    fake_curve(tmp_path / 's2', {100: 0.3})
    out = tmp_path / 'curve.png'
    proc = subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(out),
                           f'first:{tmp_path / "s1"}:0', f'second:{tmp_path / "s2"}:400'],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
    merged = json.loads((tmp_path / 'curve.json').read_text())
    assert merged['first']['start'] == 0 and merged['second']['start'] == 400
    assert merged['second']['100']['psnr'] == 30.3
    proc = subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(out),
                           f'x:{tmp_path / "missing"}:0'], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0 and 'run tools/checkpoint_curve.py' in proc.stderr


def test_earlier_plot_is_extended_without_its_work_dirs(tmp_path):
    fake_curve(tmp_path / 's1', {200: -0.1, 400: 0.2})
    first = tmp_path / 'first.png'
    subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(first),
                    f'first:{tmp_path / "s1"}:0'], cwd=ROOT, check=True, timeout=120)
    (tmp_path / 's1' / 'checkpoint_curve.json').unlink()  # the old work dir is gone
    fake_curve(tmp_path / 's2', {100: 0.5})
    out = tmp_path / 'both.png'
    proc = subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(out),
                           '--earlier', str(tmp_path / 'first.json'),
                           f'second:{tmp_path / "s2"}:400'],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    merged = json.loads((tmp_path / 'both.json').read_text())
    assert list(merged) == ['first', 'second']
    assert merged['first']['start'] == 0 and merged['first']['400']['psnr'] == 30.2
    assert merged['second']['start'] == 400 and merged['second']['100']['psnr'] == 30.5
    # a stage named twice, and a file that is no earlier plot, are refused by name
    proc = subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(out),
                           '--earlier', str(tmp_path / 'first.json'),
                           f'first:{tmp_path / "s2"}:0'], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0 and "stage 'first' is already in --earlier" in proc.stderr
    (tmp_path / 'bad.json').write_text('[1, 2]')
    proc = subprocess.run([sys.executable, 'tools/plot_stage_curves.py', '--out', str(out),
                           '--earlier', str(tmp_path / 'bad.json')], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'bad.json is not the JSON of an earlier plot' in proc.stderr
