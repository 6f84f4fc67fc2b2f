"""Mixed-precision training where MMEngine's AmpOptimWrapper cannot run: on the CPU."""
from contextlib import contextmanager
from typing import Union

import torch
from mmengine.optim import OptimWrapper

from mmagic.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward pass runs under ``torch.autocast`` on any device.

    MMEngine's ``AmpOptimWrapper`` asserts a GPU (it owns a CUDA ``GradScaler``), so
    ``--amp`` could not train on a CPU. bfloat16 has float32's exponent range, so it needs
    no loss scaling: this wrapper only enters ``torch.autocast(device_type, dtype)`` around
    the model's forward and loss (convolutions and matrix products in bf16, reductions and
    the loss in float32, as autocast decides) and leaves the weights, gradients and
    optimizer state in float32. ``tools/train.py --amp`` picks it on CPU; on GPUs it keeps
    ``AmpOptimWrapper`` (fp16 with dynamic loss scaling, or ``--amp bf16``).

    Args:
        dtype (str | torch.dtype): Autocast dtype; ``'bfloat16'`` (CPU autocast supports
            bfloat16 and float16). Default: ``'bfloat16'``.
        device_type (str): ``'cpu'`` or ``'cuda'``. Default: ``'cpu'``.
        **kwargs: ``optimizer``, ``clip_grad``, ``accumulative_counts`` of
            ``OptimWrapper``.
    """

    def __init__(self, dtype: Union[str, torch.dtype] = 'bfloat16', device_type: str = 'cpu',
                 **kwargs):
        super().__init__(**kwargs)
        if isinstance(dtype, str):
            if dtype not in ('bfloat16', 'float16'):
                raise ValueError(f"dtype must be 'bfloat16' or 'float16', got {dtype!r}")
            dtype = getattr(torch, dtype)
        self.cast_dtype = dtype
        self.device_type = device_type

    @contextmanager
    def optim_context(self, model: torch.nn.Module):
        """Gradient-accumulation context of ``OptimWrapper`` plus autocast."""
        with super().optim_context(model), torch.autocast(self.device_type,
                                                          dtype=self.cast_dtype):
            yield
