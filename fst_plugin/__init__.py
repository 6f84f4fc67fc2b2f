"""fst_plugin: video deblurring with factorized spatio-temporal attention for MMagic.

Importing the package registers every module into MMagic's registries
(``mmagic.registry``); configs load it with
``custom_imports = dict(imports=['fst_plugin'], allow_failed_imports=False)``.
"""
from . import compat
from .version import __version__  # noqa: F401

compat.apply()

from . import apis, datasets, engine, evaluation, models  # noqa: E402,F401
