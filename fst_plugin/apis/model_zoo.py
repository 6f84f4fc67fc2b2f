"""The model that ships with fst_plugin: FST trained on real footage (README, Model zoo)."""
import os.path as osp

MODEL_ZOO_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'model_zoo')
# configs/fst/fst-local-path_1xb4-850i_footage.py (FST + a local path in every fusion, the network of
# configs/fst/fst-local-path_1xb4-850i_footage.py; the mean of two CPU runs from one start, made with
# tools/model_converters/average_weights.py) trained on tools/dataset_converters/synthesize_footage.py data; model-only
# weights with the config text in their metadata (safetensors: loading it runs no code)
DEFAULT_WEIGHTS = osp.join(MODEL_ZOO_DIR, 'fst_footage.safetensors')


def default_weights() -> str:
    """Path of the shipped FST weights (raises FileNotFoundError, naming it, if absent)."""
    if not osp.isfile(DEFAULT_WEIGHTS):
        raise FileNotFoundError(
            f'the shipped weights {DEFAULT_WEIGHTS} are missing from this installation; '
            'pass CONFIG and CHECKPOINT explicitly')
    return DEFAULT_WEIGHTS
