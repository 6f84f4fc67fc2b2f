"""Model wrapper for multi-frame video deblurring networks."""
import logging
import os.path as osp
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
        ensemble (dict, optional): Test-time ensemble, as MMagic's BasicVSR takes it:
            ``dict(type='SpatialTemporalEnsemble', is_temporal_ensemble=False)`` averages
            the outputs of the 8 flips/transposes of the clip (MMagic's
            ``SpatialTemporalEnsemble``); ``is_temporal_ensemble=True`` also runs the
            time-reversed clip (for a centre-frame network the target stays in place).
            Used in val/test (eval mode) only; training is unchanged. Default: None.
    """

    def __init__(self,
                 generator: dict,
                 pixel_loss: Union[dict, Sequence[dict]],
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 nonfinite_loss: str = 'raise',
                 max_skipped_steps: int = 10,
                 ensemble: Optional[dict] = None):
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
        self.forward_ensemble, self.temporal_ensemble = None, False
        if ensemble is not None:
            if ensemble.get('type') != 'SpatialTemporalEnsemble':
                raise ValueError("ensemble must be dict(type='SpatialTemporalEnsemble', "
                                 f'is_temporal_ensemble=...), got {ensemble!r}')
            from mmagic.models.archs import SpatialTemporalEnsemble
            # time reversal is done here: a centre-frame output has no time axis to flip
            self.forward_ensemble = SpatialTemporalEnsemble(is_temporal_ensemble=False)
            self.temporal_ensemble = bool(ensemble.get('is_temporal_ensemble', False))

    def restore(self, inputs: Tensor, **kwargs) -> Tensor:
        """The generator's output for ``inputs`` (b, t, c, h, w); in eval mode with an
        ``ensemble``, the mean over the 8 flips/transposes (and the time-reversed clip)."""
        if self.forward_ensemble is None or self.training:
            return self.generator(inputs, **kwargs)

        def run(clip):
            return self.generator(clip, **kwargs)
        outputs = self.forward_ensemble.spatial_ensemble(inputs, run)
        if not self.temporal_ensemble:
            return outputs
        t = inputs.size(1)
        index = self.target_index(t)
        if outputs.dim() == 4 and index != t - 1 - index:
            raise ValueError(f'{type(self.generator).__name__} restores frame {index} of '
                             f'{t}: reversing time moves it, so is_temporal_ensemble is '
                             'not possible for this network')
        reversed_outputs = self.forward_ensemble.spatial_ensemble(inputs.flip(1), run)
        if reversed_outputs.dim() == 5:  # every frame restored: back in time order
            reversed_outputs = reversed_outputs.flip(1)
        return (outputs + reversed_outputs) / 2

    def forward_tensor(self, inputs: Tensor, data_samples=None, **kwargs) -> Tensor:
        """The restored frames, (b, c, h, w) (see :meth:`restore`)."""
        return self.restore(inputs, **kwargs)

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
            if not (isinstance(clip, Tensor) and clip.dim() == 4):
                continue
            if sample.output.pred_img.dim() == 4:  # every frame restored (whole sequence)
                sample.set_tensor_data({'blurry_img': clip})
            else:
                sample.set_tensor_data({'blurry_img': clip[self.target_index(clip.size(0))]})
        return samples

    def target_index(self, num_frames: int) -> int:
        """Index of the restored frame within a clip of ``num_frames``: the generator's
        ``center_frame_idx`` where it has one (EDVR), else the centre."""
        index = getattr(self.generator, 'center_frame_idx', None)
        return num_frames // 2 if index is None else index

    def forward(self, inputs: Tensor, data_samples=None, mode: str = 'tensor', **kwargs):
        """MMagic's forward, after checking that each sample's ground truth is the frame
        the network restores (see :meth:`check_target_frames`)."""
        if data_samples is not None and mode in ('loss', 'predict'):
            self.check_target_frames(data_samples)
        return super().forward(inputs, data_samples, mode, **kwargs)

    def check_target_frames(self, data_samples) -> None:
        """Raise when a sample's sharp frame is not the clip frame the network restores.

        The clip's and the ground truth's file names (``img_path``/``gt_path`` metainfo,
        which ``VideoDeblurDataset`` samples carry) must agree at :meth:`target_index`.
        Without this, a dataset built with ``window='trailing'`` for a centre-frame model,
        or EDVR with ``center_frame_idx != T // 2``, trains and scores against the wrong
        frame without any error. Samples without paths (e.g. tensors from a user) pass.
        """
        for clip, gt, key in _paths_of(data_samples):
            if not isinstance(gt, str):
                continue  # a sharp frame per clip frame: for recurrent models
            index = self.target_index(len(clip))
            if _stem(clip[index]) != _stem(gt):
                raise ValueError(
                    f'{type(self.generator).__name__} restores frame {index} of each '
                    f'{len(clip)}-frame clip, but sample {key!r} has {_stem(clip[index])!r} '
                    f'there and its ground truth is {_stem(gt)!r}. The dataset must put the '
                    f'target where the model restores it: window="center" for FST and EDVR '
                    f'(EDVR with center_frame_idx = T // 2), window="trailing" for '
                    f'recurrent models.')

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


def _stem(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def _paths_of(data_samples) -> List[Tuple[list, object, str]]:
    """``(img_path list, gt_path, key)`` of each sample with paths, from a stacked
    ``DataSample`` (metainfo values are lists) or a list of samples."""
    samples = data_samples if isinstance(data_samples, (list, tuple)) else [data_samples]
    found = []
    for sample in samples:
        meta = getattr(sample, 'metainfo', {}) or {}
        clips, gts = meta.get('img_path'), meta.get('gt_path')
        if not clips or gts is None:
            continue
        keys = meta.get('key')
        if isinstance(clips[0], str):  # one unstacked sample
            clips, gts, keys = [clips], [gts], [keys]
        keys = keys if isinstance(keys, (list, tuple)) else [keys] * len(clips)
        found += [(c, g, k) for c, g, k in zip(clips, gts, keys) if isinstance(c, list)]
    return found


def _loss_names(cfgs: Sequence[dict]) -> List[str]:
    names = []
    for cfg in cfgs:
        base = re.sub(r'loss$', '', str(cfg['type']).split('.')[-1].lower()) or 'pixel'
        name, k = f'loss_{base}', 2
        while name in names:
            name, k = f'loss_{base}{k}', k + 1
        names.append(name)
    return names
