"""Pack everything fst_plugin needs for a GPU node that has PyTorch but no internet.

Run on a connected machine:

    python tools/misc/pack_offline.py --python-version 3.12 --have node_freeze.txt \\
        --out fst_offline

`node_freeze.txt` is the node's `python -m pip list --format=freeze` (optional: without it
every dependency is packed). The folder (and `fst_offline.tar` with --archive) holds:
- wheels for the target Python of requirements/offline.txt and of everything they need that
  the node lacks or has at an unfitting version, found by reading each wheel's
  Requires-Dist (torch, torchvision and numpy are the node's: a conflict with them stops
  the packing with a message instead of packing a second copy);
- mmcv 2.1.0 with ops: the wheel given with --mmcv-wheel (built for the node's torch), or
  else its source archive, which the installer builds on the node with the c++20 fix;
- this package as a wheel, `install.sh` (tools/misc/install_offline.sh) and
  `manifest.json` (every file, its size and SHA-256, why it is there, what was skipped).

On the node: `bash fst_offline/install.sh --venv ~/fst-venv` (see that script).
"""
import argparse
import hashlib
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import Version

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# the node's own stack: never packed, never shadowed
NODE_OWNED = {'torch', 'torchvision', 'numpy', 'triton'}
# installed with --no-deps; requirements/offline.txt lists what their code imports
WITHOUT_DEPS = {'mmengine', 'mmcv', 'mmagic'}
# needed only to build mmcv's source archive on the node
BUILD_TOOLS = ['setuptools<70', 'wheel']
SIMPLE_INDEX = 'https://pypi.org/simple'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--python-version', required=True,
                        help="the node's Python, e.g. 3.12")
    parser.add_argument('--have', help="the node's `pip list --format=freeze` output")
    parser.add_argument('--out', required=True, help='folder for the wheelhouse')
    parser.add_argument('--mmcv-wheel',
                        help='a built mmcv 2.1.0 wheel for the node (else the sdist is packed)')
    parser.add_argument('--platform', default='x86_64', help='machine of the node')
    parser.add_argument('--requirements', default=osp.join(ROOT, 'requirements', 'offline.txt'))
    parser.add_argument('--archive', action='store_true', help='also write OUT.tar')
    return parser.parse_args(argv)


def read_have(path):
    """{canonical name: Version or None} from a freeze file (``name==1.2`` or ``name``)."""
    have = {}
    if not path:
        return have
    if not osp.isfile(path):
        raise SystemExit(f'pack_offline: --have {path}: no such file')
    for n, line in enumerate(open(path), 1):
        line = line.split('#')[0].strip()
        if not line or line.startswith('-'):
            continue
        m = re.match(r'^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([^\s;]+))?', line)
        if not m:
            raise SystemExit(f'pack_offline: {path}:{n}: cannot read {line!r}')
        version = m.group(2)
        try:
            have[canonicalize_name(m.group(1))] = Version(version.split('+')[0]) if version \
                else None
        except Exception:
            have[canonicalize_name(m.group(1))] = None
    return have


def read_requirements(path):
    reqs = []
    for line in open(path):
        line = line.split('#')[0].strip()
        if line:
            reqs.append(Requirement(line))
    return reqs


def target_environment(python_version, machine):
    env = default_environment()
    major, minor = python_version.split('.')[:2]
    env.update(python_version=f'{major}.{minor}', python_full_version=f'{major}.{minor}.0',
               implementation_name='cpython', platform_python_implementation='CPython',
               sys_platform='linux', platform_system='Linux', os_name='posix',
               platform_machine=machine, extra='')
    return env


def wheel_metadata(path):
    """(name, version, Requires-Dist lines) of a wheel."""
    with zipfile.ZipFile(path) as zf:
        meta = next(n for n in zf.namelist()
                    if n.count('/') == 1 and n.endswith('.dist-info/METADATA'))
        text = zf.read(meta).decode('utf-8', 'replace')
    headers = text.split('\n\n')[0].splitlines()
    get = lambda key: [h.split(':', 1)[1].strip() for h in headers  # noqa: E731
                       if h.lower().startswith(key.lower() + ':')]
    return canonicalize_name(get('Name')[0]), Version(get('Version')[0]), get('Requires-Dist')


def pip_download(spec, out, python_version, machine):
    tag = 'cp' + ''.join(python_version.split('.')[:2])
    platforms = [f'manylinux_2_{v}_{machine}' for v in (35, 34, 31, 28, 27, 24, 17, 12, 5)]
    platform_args = []
    for p in platforms + [f'manylinux2014_{machine}', f'manylinux1_{machine}', 'any']:
        platform_args += ['--platform', p]
    cmd = [sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps',
           '--only-binary=:all:', '--python-version', python_version, '--implementation',
           'cp', '--abi', tag, '--abi', 'abi3', '--abi', 'none', *platform_args, '-d', out,
           str(spec)]
    before = set(os.listdir(out))
    subprocess.run(cmd, check=True)
    new = sorted(set(os.listdir(out)) - before)
    if new:
        return osp.join(out, new[0])
    # already there from an earlier run: find the file that satisfies spec
    for name in sorted(os.listdir(out)):
        if name.endswith('.whl'):
            n, v, _ = wheel_metadata(osp.join(out, name))
            if n == canonicalize_name(spec.name) and spec.specifier.contains(v, True):
                return osp.join(out, name)
    raise SystemExit(f'pack_offline: pip download {spec} gave no file')


def fetch_sdist(name, version, out):
    """Download ``name-version.tar.gz`` from PyPI's JSON simple index, checking its SHA-256."""
    request = urllib.request.Request(f'{SIMPLE_INDEX}/{name}/',
                                     headers={'Accept': 'application/vnd.pypi.simple.v1+json'})
    with urllib.request.urlopen(request, timeout=60) as r:
        files = json.load(r)['files']
    want = f'{name}-{version}.tar.gz'
    entry = next((f for f in files if f['filename'] == want), None)
    if entry is None:
        raise SystemExit(f'pack_offline: {want} is not on {SIMPLE_INDEX}')
    dest = osp.join(out, want)
    if not (osp.isfile(dest) and sha256_of(dest) == entry['hashes']['sha256']):
        urllib.request.urlretrieve(entry['url'], dest)
    if sha256_of(dest) != entry['hashes']['sha256']:
        raise SystemExit(f'pack_offline: {want}: SHA-256 differs from the index')
    return dest


def sha256_of(path):
    # fst_plugin.datasets.footage.sha256_of does the same, but importing it imports the
    # package (torch, MMagic), which the connected machine that packs need not have
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def build_plugin_wheel(out):
    """Build fst_plugin's wheel into ``out``; returns its file name."""
    wheel_dir = tempfile.mkdtemp()
    try:
        subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '-w',
                        wheel_dir, ROOT], check=True)
        name, = os.listdir(wheel_dir)
        shutil.copy2(osp.join(wheel_dir, name), out)
    finally:
        shutil.rmtree(wheel_dir)
    return name


def satisfied(req, have_version):
    return have_version is None or req.specifier.contains(have_version, prereleases=True)


def pack(args):
    out = osp.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    # without a freeze list the node's own stack is taken as present, at whatever version
    have = read_have(args.have) if args.have else dict.fromkeys(NODE_OWNED)
    env = target_environment(args.python_version, args.platform)
    packed = {}    # canonical name -> (version, file, why)
    skipped = {}   # canonical name -> why
    queue = [(r, 'requirements/offline.txt') for r in read_requirements(args.requirements)]
    queue += [(Requirement(r), 'builds mmcv on the node') for r in BUILD_TOOLS]
    while queue:
        req, why = queue.pop(0)
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonicalize_name(req.name)
        if name in packed:
            if not req.specifier.contains(packed[name][0], prereleases=True):
                raise SystemExit(f'pack_offline: {why} needs {req}, but {name} '
                                 f'{packed[name][0]} was packed for {packed[name][2]}')
            continue
        if name in have and satisfied(req, have[name]):
            skipped.setdefault(name, f'the node has {name} {have[name] or ""}'.rstrip())
            continue
        if name in NODE_OWNED:
            found = f'{have[name]}' if name in have else 'none'
            raise SystemExit(f'pack_offline: {why} needs {req}; the node has {found}. '
                             f'{name} belongs to the node and is not packed: pin the '
                             'package that asks for it lower in requirements/offline.txt')
        if name == 'mmcv':
            if args.mmcv_wheel:
                if not osp.isfile(args.mmcv_wheel):
                    raise SystemExit(f'pack_offline: --mmcv-wheel {args.mmcv_wheel}: no such '
                                     'file')
                path = shutil.copy2(args.mmcv_wheel, out)
            else:
                path = fetch_sdist('mmcv', '2.1.0', out)
            packed[name] = (Version('2.1.0'), osp.basename(path), why)
            continue
        path = pip_download(req, out, args.python_version, args.platform)
        _, version, requires = wheel_metadata(path)
        packed[name] = (version, osp.basename(path), why)
        print(f'packed {osp.basename(path)}  ({why})')
        if name not in WITHOUT_DEPS:
            queue += [(Requirement(r), f'{name} {version}') for r in requires]

    packed['fst-plugin'] = (None, build_plugin_wheel(out), 'this package')
    shutil.copy2(osp.join(ROOT, 'tools', 'misc', 'install_offline.sh'),
                 osp.join(out, 'install.sh'))

    kept = {f for _, f, _ in packed.values()} | {'install.sh'}
    for f in os.listdir(out):  # leftovers of an earlier packing for another target
        if f not in kept and f != 'manifest.json':
            os.remove(osp.join(out, f))
    files = [dict(file=f, size=osp.getsize(osp.join(out, f)), sha256=sha256_of(osp.join(out, f)),
                  why=why, version=str(v) if v else None)
             for _, (v, f, why) in sorted(packed.items())]
    total = sum(f['size'] for f in files)
    manifest = dict(python_version=args.python_version, platform=args.platform,
                    have=args.have and osp.basename(args.have), files=files,
                    skipped_because_the_node_has_them=skipped, total_bytes=total,
                    build_tools=BUILD_TOOLS, without_deps=sorted(WITHOUT_DEPS))
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print(f'{len(files)} files, {total / 2**20:.1f} MiB in {out}; '
          f'{len(skipped)} requirements met by the node')
    if args.archive:
        tar_path = out.rstrip('/') + '.tar'
        with tarfile.open(tar_path, 'w') as tar:
            tar.add(out, arcname=osp.basename(out.rstrip('/')))
        print(f'archive: {tar_path} ({osp.getsize(tar_path) / 2**20:.1f} MiB)')
    return manifest


def main(argv=None):
    pack(parse_args(argv))
    return 0


if __name__ == '__main__':
    sys.exit(main())
