"""Model wrapper for multi-frame video deblurring networks."""
import re
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import MessageHub
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
      instead of silently writing NaN weights into the next checkpoint.

    Args:
        generator (dict): Network config, e.g. ``dict(type='FSTNet')``; it maps
            (b, t, c, h, w) to (b, c, h, w).
        pixel_loss (dict | list[dict]): Loss config(s) applied to (output, gt).
        train_cfg (dict, optional): Training config. Default: None.
        test_cfg (dict, optional): Testing config. Default: None.
        init_cfg (dict, optional): Initialization config. Default: None.
        data_preprocessor (dict, optional): Data preprocessor config. Default: None.
    """

    def __init__(self,
                 generator: dict,
                 pixel_loss: Union[dict, Sequence[dict]],
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None):
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

    def parse_losses(self, losses: Dict[str, Tensor]) -> Tuple[Tensor, Dict[str, Tensor]]:
        """Sum the losses and refuse a non-finite total (also used under DDP)."""
        loss, log_vars = super().parse_losses(losses)
        if not torch.isfinite(loss):
            iteration = MessageHub.get_current_instance().get_info('iter')
            values = ', '.join(f'{k}={float(v):.4g}' for k, v in log_vars.items())
            raise FloatingPointError(
                f'non-finite training loss at iteration {iteration}: {values}. Training was '
                'stopped before this step updated the weights; the last checkpoint is intact. '
                'Lower the learning rate or check the data of this iteration.')
        return loss, log_vars


def _loss_names(cfgs: Sequence[dict]) -> List[str]:
    names = []
    for cfg in cfgs:
        base = re.sub(r'loss$', '', str(cfg['type']).split('.')[-1].lower()) or 'pixel'
        name, k = f'loss_{base}', 2
        while name in names:
            name, k = f'loss_{base}{k}', k + 1
        names.append(name)
    return names
