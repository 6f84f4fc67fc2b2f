"""Save test outputs as images with MMagic's visualizer (tools/test.py --show-dir)."""
from typing import Optional, Sequence

from mmagic.engine.hooks import BasicVisualizationHook
from mmagic.registry import HOOKS


@HOOKS.register_module()
class SaveRestoredImagesHook(BasicVisualizationHook):
    """MMagic's ``BasicVisualizationHook`` that also works in a test-only run.

    The parent passes ``step=runner.iter`` to the visualizer; in a run that only tests,
    reading ``runner.iter`` builds the training loop and with it the training dataset,
    which a user testing a checkpoint usually does not have. Test images get ``step=0``.
    Images land in ``<visualizer save_dir>/vis_data/vis_image/<vis_name>_0.png``.

    Args:
        interval (int): Save every ``interval``-th test batch. Default: 1.
    """

    def __init__(self, interval: int = 1):
        super().__init__(interval=interval, on_train=False, on_val=False, on_test=True)

    def after_test_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence] = None) -> None:
        if self.every_n_inner_iters(batch_idx, self._interval):
            for data_sample in outputs:
                runner.visualizer.add_datasample(data_sample, step=0)
