"""The model that ships with fst_plugin: FST trained on real footage (docs/model_zoo.md).

The weights are FST with a local path in every fusion (the network of
``configs/fst/fst-local-path_1xb4-850i_footage.py``), model only, with the config text in
their metadata (safetensors: loading them runs no code).
"""
import os.path as osp

MODEL_ZOO_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'model_zoo')
DEFAULT_WEIGHTS = osp.join(MODEL_ZOO_DIR, 'fst_footage.safetensors')


def default_weights() -> str:
    """Path of the shipped FST weights (raises FileNotFoundError, naming it, if absent)."""
    if not osp.isfile(DEFAULT_WEIGHTS):
        raise FileNotFoundError(
            f'the shipped weights {DEFAULT_WEIGHTS} are missing from this installation; '
            'pass CONFIG and CHECKPOINT explicitly')
    return DEFAULT_WEIGHTS
