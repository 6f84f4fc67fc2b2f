from .checkpoint_check import check_checkpoint_matches
from .runner_setup import enable_amp, resolve_work_dir, setup_distributed

__all__ = ['check_checkpoint_matches', 'enable_amp', 'resolve_work_dir', 'setup_distributed']
