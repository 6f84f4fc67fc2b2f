"""Model wrapper for recurrent video deblurring networks (STFAN)."""
from typing import Dict, List, Optional

from torch import Tensor

from mmagic.registry import MODELS
from mmagic.structures import DataSample
from .video_deblurrer import VideoDeblurrer, _paths_of, _stem


@MODELS.register_module()
class RecurrentVideoDeblurrer(VideoDeblurrer):
    """Video deblurring with a recurrent network that restores every frame of a clip.

    Training (clips from ``VideoDeblurDataset(window='trailing', gt_frames='all')``): the
    network runs over the clip from its first frame with the recurrent state *detached*
    between frames (no backpropagation through time, as in the original STFAN training),
    and the losses compare all T outputs with the T sharp frames. The original updates
    the weights after every frame; here the T per-frame losses are averaged into one
    update per clip, which is what lets MMEngine's Runner (and DDP, which allows one
    backward per forward) drive the training unchanged. Clips with one sharp target frame
    (``gt_img`` (b, c, h, w)) train the output at the target frame only: the clip's last
    frame, or with ``target_frame='centre'`` its centre frame, reached by a recurrence over
    the frames up to it (the later ones are not read). So a recurrent model can train on
    the centred clips FST and EDVR train on (``VideoDeblurDataset``'s default window,
    ``CameraShakePhotoDataset``, ``RandomStillScene``), seeing the past and present only.

    Testing has two modes, chosen by the test dataset:

    - whole sequences (``window='sequence'``), as the original STFAN and
      ``tools/deblur_video.py`` run: a sample is a whole test sequence, one recurrence runs
      from its first frame to its last, and every output frame is scored against its sharp
      frame (``pred_img`` (t, c, h, w)). ``dist_test.sh`` shards whole sequences.
    - windows (``window='trailing'``, ``gt_frames='target'``; centred windows with
      ``target_frame='centre'``): the recurrence restarts at the first frame of each
      sample's clip and its output at the target frame is the prediction, so a trailing
      clip of T frames gives the network T-1 frames of history (the first step is fed
      the blurry frame as "previous restored"). Cheaper; used for validation.

    Everything else is :class:`VideoDeblurrer` (list of losses, non-finite loss stop,
    ``blurry_img`` for visualization).

    Args:
        generator (dict): Recurrent network config, e.g. ``dict(type='STFANNet')``; maps
            (b, t, c, h, w) to (b, t, c, h, w) and takes ``detach_state``.
        pixel_loss (dict | list[dict]): Loss config(s) applied to (outputs, gts).
        train_cfg (dict, optional): Training config. Default: None.
        test_cfg (dict, optional): Testing config. Default: None.
        init_cfg (dict, optional): Initialization config. Default: None.
        data_preprocessor (dict, optional): Data preprocessor config. Default: None.
        ensemble (dict, optional): Test-time ensemble (see :class:`VideoDeblurrer`); with
            ``is_temporal_ensemble`` the reversed clip is a recurrence of its own, its
            outputs put back in time order. Default: None.
        target_frame (str): The frame a clip with one sharp frame is scored at:
            ``'last'`` (trailing windows) or ``'centre'`` (centred windows). Default:
            ``'last'``.
    """

    def __init__(self, *args, target_frame: str = 'last', **kwargs):
        if target_frame not in ('last', 'centre'):
            raise ValueError(f"target_frame must be 'last' or 'centre', got {target_frame!r}")
        super().__init__(*args, **kwargs)
        self.target_frame = target_frame

    def forward_train(self,
                      inputs: Tensor,
                      data_samples: Optional[List[DataSample]] = None,
                      **kwargs) -> Dict[str, Tensor]:
        """Args:
            inputs (Tensor): Blurry clips, (b, t, c, h, w).
            data_samples (DataSample): Stacked samples with ``gt_img``: (b, t, c, h, w), a
                sharp frame per clip frame, or (b, c, h, w), the sharp target frame.

        Returns:
            dict: One loss tensor per configured loss.
        """
        gt = data_samples.gt_img
        if gt.dim() == 5:
            outputs = self.generator(inputs, detach_state=True).flatten(0, 1)
            gt = gt.flatten(0, 1)
        elif gt.dim() == 4:
            last = self.target_index(inputs.size(1))
            outputs = self.generator(inputs[:, :last + 1], detach_state=True)[:, -1]
        else:
            raise ValueError('recurrent training needs gt_img of shape (b, t, c, h, w) or '
                             f'(b, c, h, w), got {tuple(gt.shape)}')
        losses = [self.pixel_loss] + list(self.extra_losses)
        return {name: loss(outputs, gt) for name, loss in zip(self.loss_names, losses)}

    def forward_tensor(self,
                       inputs: Tensor,
                       data_samples: Optional[List[DataSample]] = None,
                       **kwargs) -> Tensor:
        """Restore the last frame of each clip, or every frame when the samples' ground
        truth has one sharp frame per clip frame (whole-sequence testing).

        Args:
            inputs (Tensor): Blurry clips, (b, t, c, h, w).
            data_samples (DataSample, optional): With ``gt_img`` (b, t, c, h, w), every
                output frame is returned.

        Returns:
            Tensor: (b, c, h, w), or (b, t, c, h, w) for whole sequences.
        """
        gt = getattr(data_samples, 'gt_img', None) if data_samples is not None else None
        if isinstance(gt, Tensor) and gt.dim() == 5:
            return self.restore(inputs, **kwargs)
        last = self.target_index(inputs.size(1))
        return self.restore(inputs[:, :last + 1], **kwargs)[:, -1]

    def target_index(self, num_frames: int) -> int:
        """The restored frame: the clip's last (``target_frame='last'``) or its centre,
        reached by the recurrence from the clip's first frame (``'centre'``)."""
        return num_frames - 1 if self.target_frame == 'last' else num_frames // 2

    def check_target_frames(self, data_samples) -> None:
        """Raise when the sharp frames do not pair with the frames the network restores:
        the clip's target frame (:meth:`target_index`), or (a sharp frame per clip frame)
        every frame in order."""
        for clip, gt, key in _paths_of(data_samples):
            if isinstance(gt, str):
                index = self.target_index(len(clip))
                pairs = [(index, clip[index], gt)]
            else:
                pairs = [(i, c, g) for i, (c, g) in enumerate(zip(clip, gt))]
                if len(gt) != len(clip):
                    pairs.append((len(clip), '<none>', f'{len(gt)} sharp frames'))
            for index, blurry, sharp in pairs:
                if _stem(blurry) != _stem(sharp):
                    raise ValueError(
                        f'{type(self.generator).__name__} restores frame {index} of sample '
                        f'{key!r} from {_stem(blurry)!r} but its ground truth there is '
                        f'{_stem(sharp)!r}: recurrent models need window="trailing" (the '
                        'target ends the clip) or window="sequence", or, for a centred '
                        'window, target_frame="centre"')
