"""The model that ships with fst_plugin: FST trained on real footage (README, Model zoo)."""
import os.path as osp

MODEL_ZOO_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'model_zoo')
# configs/fst_footage_pilot12.py (FST + a local path in every fusion, the network of
# configs/fst_footage_local_path.py; the mean of two CPU runs from one start, made with
# tools/average_weights.py) trained on tools/synthesize_footage.py data; model-only
# weights with the config text in their metadata (safetensors: loading it runs no code)
DEFAULT_WEIGHTS = osp.join(MODEL_ZOO_DIR, 'fst_footage.safetensors')


def default_weights() -> str:
    """Path of the shipped FST weights (raises FileNotFoundError, naming it, if absent)."""
    if not osp.isfile(DEFAULT_WEIGHTS):
        raise FileNotFoundError(
            f'the shipped weights {DEFAULT_WEIGHTS} are missing from this installation; '
            'pass CONFIG and CHECKPOINT explicitly')
    return DEFAULT_WEIGHTS
