from .runner_setup import enable_amp, resolve_work_dir, select_dist_backend

__all__ = ['enable_amp', 'resolve_work_dir', 'select_dist_backend']
