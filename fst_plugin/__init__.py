"""fst_plugin: video deblurring with factorized spatio-temporal attention for MMagic.

Importing the package registers every module into MMagic's registries
(``mmagic.registry``); configs load it with
``custom_imports = dict(imports=['fst_plugin'], allow_failed_imports=False)``.
"""
import os

# albumentations (imported by mmagic) asks PyPI for a newer version at import time; training
# machines are often offline and the answer is noise in every log
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')

from . import compat  # noqa: E402
from .version import __version__  # noqa: E402,F401

compat.apply()

from . import analysis, apis, datasets, engine, evaluation, models  # noqa: E402,F401
