"""tools/misc/pack_offline.py: a wheelhouse for a node with PyTorch and no internet."""
import json
import os.path as osp
import sys
import zipfile

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'misc'))
import pack_offline as tool  # noqa: E402


def fake_wheel(folder, name, version, requires=()):
    path = osp.join(folder, f'{name}-{version}-py3-none-any.whl')
    meta = ['Metadata-Version: 2.1', f'Name: {name}', f'Version: {version}']
    meta += [f'Requires-Dist: {r}' for r in requires]
    with zipfile.ZipFile(path, 'w') as zf:
        zf.writestr(f'{name}-{version}.dist-info/METADATA', '\n'.join(meta) + '\n\nbody\n')
    return path


@pytest.fixture
def index(monkeypatch, tmp_path):
    """A fake package index: name -> [(version, requires)], newest last."""
    catalogue = {
        'mmagic': [('1.2.0', ['opencv-python', 'facexlib'])],       # installed without deps
        'mmengine': [('0.10.7', ['opencv-python>=3', 'addict'])],
        'addict': [('2.4.0', [])],
        'transformers': [('4.45.2', ['tokenizers<0.21,>=0.20', 'numpy>=1.17',
                                     'tqdm; python_version < "3.0"'])],
        'tokenizers': [('0.20.3', []), ('0.23.2', [])],
        'scipy': [('1.17.1', ['numpy>=1.26'])],
        'opencv-python-headless': [('5.1.0', ['numpy>=2'])],
        'setuptools': [('69.5.1', [])], 'wheel': [('0.45.0', [])],
    }
    downloads = []

    def pip_download(spec, out, python_version, machine):
        name = tool.canonicalize_name(spec.name)
        for version, requires in reversed(catalogue[name]):
            if spec.specifier.contains(version, True):
                downloads.append(f'{name}=={version}')
                return fake_wheel(out, name, version, requires)
        raise AssertionError(f'nothing fits {spec}')

    monkeypatch.setattr(tool, 'pip_download', pip_download)
    monkeypatch.setattr(tool, 'fetch_sdist', lambda name, version, out: open(
        osp.join(out, f'{name}-{version}.tar.gz'), 'w').close() or osp.join(
        out, f'{name}-{version}.tar.gz'))
    monkeypatch.setattr(tool, 'build_plugin_wheel', lambda out: osp.basename(
        fake_wheel(out, 'fst_plugin', '0.1.0')))
    return downloads


def pack(tmp_path, reqs, have=None, extra=()):
    (tmp_path / 'reqs.txt').write_text('\n'.join(reqs) + '\n')
    argv = ['--python-version', '3.12', '--out', str(tmp_path / 'wh'),
            '--requirements', str(tmp_path / 'reqs.txt'), *extra]
    if have is not None:
        (tmp_path / 'have.txt').write_text('\n'.join(have) + '\n')
        argv += ['--have', str(tmp_path / 'have.txt')]
    return tool.pack(tool.parse_args(argv))


def test_packs_what_the_node_lacks_and_follows_dependencies(index, tmp_path):
    manifest = pack(tmp_path, ['mmagic==1.2.0', 'mmengine==0.10.7', 'transformers<4.46',
                               'scipy', 'addict', 'mmcv==2.1.0'],
                    have=['torch==2.11.0', 'numpy==2.5.2', 'tokenizers==0.23.2',
                          'scipy==1.16.0', 'addict'])
    files = {f['file']: f for f in manifest['files']}
    # transformers 4.45 cannot use the node's tokenizers 0.23: an older one is packed beside it
    assert 'tokenizers-0.20.3-py3-none-any.whl' in files
    assert files['tokenizers-0.20.3-py3-none-any.whl']['why'] == 'transformers 4.45.2'
    # mmagic and mmengine come without their dependency lists (no opencv-python, no facexlib)
    assert not any(f.startswith(('opencv', 'facexlib')) for f in files)
    # met by the node: scipy, addict (any version); a marker for another Python is skipped
    assert set(manifest['skipped_because_the_node_has_them']) >= {'scipy', 'addict', 'numpy'}
    assert 'tqdm' not in ' '.join(files)
    # mmcv as its source archive, build tools for it, the plugin and the installer
    assert {'mmcv-2.1.0.tar.gz', 'fst_plugin-0.1.0-py3-none-any.whl',
            'setuptools-69.5.1-py3-none-any.whl'} <= set(files)
    assert osp.isfile(tmp_path / 'wh' / 'install.sh')
    on_disk = json.load(open(tmp_path / 'wh' / 'manifest.json'))
    assert on_disk['total_bytes'] == sum(f['size'] for f in on_disk['files']) > 0


def test_a_conflict_with_the_nodes_numpy_stops_with_a_message(index, tmp_path):
    with pytest.raises(SystemExit, match=r'opencv-python-headless 5.1.0 needs numpy>=2; '
                                         r'the node has 1.26.4'):
        pack(tmp_path, ['opencv-python-headless'], have=['numpy==1.26.4', 'torch==2.11.0'])


def test_a_given_mmcv_wheel_is_packed_instead_of_the_source(index, tmp_path):
    whl = fake_wheel(str(tmp_path), 'mmcv', '2.1.0')
    manifest = pack(tmp_path, ['mmcv==2.1.0'], have=['numpy==2.0'], extra=['--mmcv-wheel', whl])
    names = [f['file'] for f in manifest['files']]
    assert 'mmcv-2.1.0-py3-none-any.whl' in names and 'mmcv-2.1.0.tar.gz' not in names
    with pytest.raises(SystemExit, match='--mmcv-wheel .*no such file'):
        pack(tmp_path, ['mmcv==2.1.0'], extra=['--mmcv-wheel', str(tmp_path / 'none.whl')])


def test_freeze_lines_are_read_and_bad_ones_named(tmp_path):
    (tmp_path / 'f.txt').write_text('Torch==2.11.0+cu130\n# comment\nopencv_python_headless\n'
                                    '-e git+https://x\n')
    have = tool.read_have(str(tmp_path / 'f.txt'))
    assert str(have['torch']) == '2.11.0' and have['opencv-python-headless'] is None
    with pytest.raises(SystemExit, match='no such file'):
        tool.read_have(str(tmp_path / 'missing.txt'))


def test_the_offline_requirements_leave_the_nodes_stack_alone():
    names = {tool.canonicalize_name(r.name) for r in
             tool.read_requirements(osp.join(ROOT, 'requirements', 'offline.txt'))}
    assert not names & tool.NODE_OWNED
    assert {'mmcv', 'mmengine', 'mmagic'} <= names
