"""The named sets of test sources the shipped weights are chosen and reported on.

``unseen`` holds every source no training reads (the generalization table of the model zoo);
``validation`` the sets made only from training sources, on which a registered rule chooses
what ships. Each source is a GOPRO-layout folder and the command that builds it from the
fetched clips and photographs (``tools/dataset_converters/synthesize_suite.py`` runs them;
``tools/analysis_tools/generalization_suite.py --suite NAME`` scores them).
"""
from collections import namedtuple

SuiteSource = namedtuple('SuiteSource', ['name', 'data_root', 'tool', 'args'])

_FOOTAGE = 'tools/dataset_converters/synthesize_footage.py'
_PHOTOS = 'tools/dataset_converters/synthesize_photo_blur.py'


def _photo(name, source, seed, size='640x360', frames=3, max_photos=None, extra=()):
    args = ['--role', 'held_out', '--sources', source, '--size', size]
    if frames is not None:
        args += ['--frames', str(frames)]
    if max_photos is not None:
        args += ['--max-photos', str(max_photos)]
    args += list(extra) + ['--seed', str(seed)]
    root = f'data/photo_test/{name}'
    return SuiteSource(name, root, _PHOTOS, args + ['--out', root])


TEST_SUITES = {
    'unseen': [
        # cup.mp4: the held-out clip, camera blur of 6-24 px and one average (5 sequences)
        SuiteSource('cup', 'data/footage_gopro', _FOOTAGE,
                    ['--splits', 'test', '--out', 'data/footage_gopro']),
        # tree.avi and bikes.mp4: two clips no training read (10 sequences)
        SuiteSource('tree_bikes', 'data/footage_val_unseen', _FOOTAGE,
                    ['--held-out', 'tree', 'bikes', '--splits', 'test', '--seed', '7',
                     '--out', 'data/footage_val_unseen']),
        # two held-out photo packages: the training synthesis (camera), plain sRGB frame
        # averaging without noise (average), one blurred exposure repeated (still)
        _photo('mate_640x360_camera', 'mate', 21, max_photos=6),
        _photo('plasma_640x360_camera', 'plasma', 22, max_photos=6),
        _photo('mate_640x360_average', 'mate', 23, max_photos=4,
               extra=['--mode', 'average', '--blur-px', '4', '24']),
        _photo('plasma_640x360_average', 'plasma', 24, max_photos=4,
               extra=['--mode', 'average', '--blur-px', '4', '24']),
        _photo('mate_1280x720_camera', 'mate', 25, size='1280x720', max_photos=3,
               extra=['--blur-px', '20', '50']),
        _photo('plasma_1280x720_camera', 'plasma', 26, size='1280x720', max_photos=3,
               extra=['--blur-px', '20', '50']),
        _photo('mate_640x360_still', 'mate', 23, frames=None, extra=['--kind', 'still']),
        _photo('plasma_640x360_still', 'plasma', 23, frames=None, extra=['--kind', 'still']),
    ],
    'validation': [
        # the training photographs, camera blur of 2-40 px at 320x240
        SuiteSource('photo_val', 'data/photo_val', _PHOTOS,
                    ['--role', 'train', '--seed', '11', '--size', '320x240', '--max-photos',
                     '6', '--blur-px', '2', '40', '--out', 'data/photo_val']),
        # the training photographs averaged as 7 sharp frames in sRGB values, without noise
        SuiteSource('photo_val_average', 'data/photo_val_average', _PHOTOS,
                    ['--role', 'train', '--seed', '12', '--size', '320x240', '--max-photos',
                     '6', '--mode', 'average', '--blur-px', '4', '24', '--out',
                     'data/photo_val_average']),
        # the training clip box.mp4 with new trajectories
        SuiteSource('footage_val', 'data/footage_val', _FOOTAGE,
                    ['--held-out', 'box', '--splits', 'test', '--seed', '7',
                     '--out', 'data/footage_val']),
        # 2- and 3-frame averages of every training clip: nearly sharp footage
        SuiteSource('footage_val_sharp', 'data/footage_val_sharp', _FOOTAGE,
                    ['--held-out', 'bigbuckbunny', 'box', 'cityCC0', 'trailer_bbb', 'vtest',
                     '--splits', 'test', '--seed', '7', '--test-seqs', 'average:2',
                     'average:3', '--out', 'data/footage_val_sharp']),
    ],
}


def suite_sources(name):
    """The sources of the suite ``name`` (a key of :data:`TEST_SUITES`)."""
    if name not in TEST_SUITES:
        raise KeyError(f'unknown test suite {name!r}; known: {sorted(TEST_SUITES)}')
    return TEST_SUITES[name]
