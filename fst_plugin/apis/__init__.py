from .runner_setup import enable_amp, resolve_work_dir, setup_distributed

__all__ = ['enable_amp', 'resolve_work_dir', 'setup_distributed']
