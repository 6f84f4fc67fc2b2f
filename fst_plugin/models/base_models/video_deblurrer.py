"""Model wrapper for multi-frame video deblurring networks."""
import logging
import re
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.distributed as dist
from mmengine.logging import MessageHub, print_log
from torch import Tensor

from mmagic.models.base_models import BaseEditModel
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from ..losses.perceptual_weights import check_perceptual_loss_weights


@MODELS.register_module()
class VideoDeblurrer(BaseEditModel):
    """Video deblurring model: a clip of T blurry frames in, the sharp centre frame out.

    It is MMagic's ``BaseEditModel`` (train_step / val_step, ``DataPreprocessor``,
    ``DataSample`` outputs with ``pred_img`` and the destructed ``input`` clip) plus what
    video deblurring needs:

    - ``pixel_loss`` may be a list of loss configs; each is logged on its own
      (``loss_charbonnier``, ``loss_frequencyreconstruction``, ...) and their sum is
      optimized.
    - predictions also carry ``blurry_img``, the blurry centre frame, for visualization;
    - a non-finite loss stops training with an error that names the iteration,
      instead of silently writing NaN weights into the next checkpoint; or, with
      ``nonfinite_loss='skip'``, that step is skipped (no weight or optimizer-state
      update, a warning names the iteration) and training stops only after
      ``max_skipped_steps`` consecutive bad steps.

    Args:
        generator (dict): Network config, e.g. ``dict(type='FSTNet')``; it maps
            (b, t, c, h, w) to (b, c, h, w).
        pixel_loss (dict | list[dict]): Loss config(s) applied to (output, gt).
        train_cfg (dict, optional): Training config. Default: None.
        test_cfg (dict, optional): Testing config. Default: None.
        init_cfg (dict, optional): Initialization config. Default: None.
        data_preprocessor (dict, optional): Data preprocessor config. Default: None.
        nonfinite_loss (str): ``'raise'`` or ``'skip'``. Skipping works in single-process
            training; under DDP every rank would have to agree, so it raises there.
            Default: ``'raise'``.
        max_skipped_steps (int): With ``'skip'``: stop after this many consecutive
            non-finite steps. Default: 10.
    """

    def __init__(self,
                 generator: dict,
                 pixel_loss: Union[dict, Sequence[dict]],
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 nonfinite_loss: str = 'raise',
                 max_skipped_steps: int = 10):
        if nonfinite_loss not in ('raise', 'skip'):
            raise ValueError(f"nonfinite_loss must be 'raise' or 'skip', got {nonfinite_loss!r}")
        loss_cfgs = [pixel_loss] if isinstance(pixel_loss, dict) else list(pixel_loss)
        if not loss_cfgs:
            raise ValueError('pixel_loss must name at least one loss')
        for cfg in loss_cfgs:
            check_perceptual_loss_weights(cfg)
        super().__init__(
            generator=generator,
            pixel_loss=loss_cfgs[0],
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            init_cfg=init_cfg,
            data_preprocessor=data_preprocessor)
        self.nonfinite_loss = nonfinite_loss
        self.max_skipped_steps = max_skipped_steps
        self.skipped_in_a_row = 0
        self.loss_names = _loss_names(loss_cfgs)
        self.extra_losses = torch.nn.ModuleList(MODELS.build(cfg) for cfg in loss_cfgs[1:])

    def forward_train(self,
                      inputs: Tensor,
                      data_samples: Optional[List[DataSample]] = None,
                      **kwargs) -> Dict[str, Tensor]:
        """Compute every configured loss.

        Args:
            inputs (Tensor): Blurry clips, (b, t, c, h, w).
            data_samples (DataSample): Stacked samples with ``gt_img`` (b, c, h, w).

        Returns:
            dict: One loss tensor per configured loss.
        """
        output = self.forward_tensor(inputs, data_samples, **kwargs)
        gt = data_samples.gt_img
        if output.shape != gt.shape:
            raise ValueError(f'{type(self.generator).__name__} returned {tuple(output.shape)} '
                             f'but the ground truth is {tuple(gt.shape)}')
        losses = [self.pixel_loss] + list(self.extra_losses)
        return {name: loss(output, gt) for name, loss in zip(self.loss_names, losses)}

    def convert_to_datasample(self, predictions: DataSample, data_samples: DataSample,
                              inputs: Optional[Tensor]) -> List[DataSample]:
        """MMagic's outputs plus ``blurry_img``, the clip's centre frame (c, h, w), so the
        visualizer can show blurry | output | sharp side by side."""
        samples = super().convert_to_datasample(predictions, data_samples, inputs)
        for sample in samples:
            clip = sample.get('input', None)
            if isinstance(clip, Tensor) and clip.dim() == 4:
                sample.set_tensor_data({'blurry_img': clip[self.target_index(clip.size(0))]})
        return samples

    @staticmethod
    def target_index(num_frames: int) -> int:
        """Index of the restored frame within a clip of ``num_frames`` (the centre)."""
        return num_frames // 2

    def train_step(self, data, optim_wrapper) -> Dict[str, Tensor]:
        """MMEngine's train step, except that a non-finite loss never updates the weights.

        With ``nonfinite_loss='skip'`` the step's gradients are dropped (no optimizer
        step, so Adam's moments stay clean) and ``skipped_nonfinite=1`` is logged.
        """
        with optim_wrapper.optim_context(self):
            data = self.data_preprocessor(data, True)
            losses = self._run_forward(data, mode='loss')
        loss, log_vars = self.parse_losses(losses)
        if torch.isfinite(loss):
            self.skipped_in_a_row = 0
            optim_wrapper.update_params(loss)
            return log_vars
        # only reached with nonfinite_loss='skip' (parse_losses raises otherwise)
        self.skipped_in_a_row += 1
        optim_wrapper.zero_grad()
        iteration = MessageHub.get_current_instance().get_info('iter')
        print_log(f'non-finite training loss at iteration {iteration} '
                  f'({_describe(log_vars)}): step skipped, weights unchanged '
                  f'({self.skipped_in_a_row} in a row, limit {self.max_skipped_steps})',
                  logger='current', level=logging.WARNING)
        if self.skipped_in_a_row >= self.max_skipped_steps:
            raise FloatingPointError(
                f'{self.skipped_in_a_row} consecutive non-finite training losses up to '
                f'iteration {iteration}: stopping. The last checkpoint is intact; lower the '
                'learning rate or check the data.')
        return {k: v for k, v in log_vars.items() if k != 'loss'} | dict(skipped_nonfinite=1.0)

    def parse_losses(self, losses: Dict[str, Tensor]) -> Tuple[Tensor, Dict[str, Tensor]]:
        """Sum the losses and refuse a non-finite total (also used under DDP)."""
        loss, log_vars = super().parse_losses(losses)
        if torch.isfinite(loss):
            return loss, log_vars
        iteration = MessageHub.get_current_instance().get_info('iter')
        distributed = dist.is_available() and dist.is_initialized() and \
            dist.get_world_size() > 1
        if self.nonfinite_loss == 'skip' and not distributed:
            return loss, log_vars
        note = (' (nonfinite_loss="skip" is not supported under DDP: the ranks would '
                'disagree on the step)' if self.nonfinite_loss == 'skip' else '')
        raise FloatingPointError(
            f'non-finite training loss at iteration {iteration}: {_describe(log_vars)}. '
            'Training was stopped before this step updated the weights; the last checkpoint '
            'is intact. Lower the learning rate or check the data of this iteration, or set '
            f'model.nonfinite_loss="skip"{note}.')


def _describe(log_vars: Dict[str, Tensor]) -> str:
    return ', '.join(f'{k}={float(v):.4g}' for k, v in log_vars.items())


def _loss_names(cfgs: Sequence[dict]) -> List[str]:
    names = []
    for cfg in cfgs:
        base = re.sub(r'loss$', '', str(cfg['type']).split('.')[-1].lower()) or 'pixel'
        name, k = f'loss_{base}', 2
        while name in names:
            name, k = f'loss_{base}{k}', k + 1
        names.append(name)
    return names
