from .index_skipping_iter_based_train_loop import IndexSkippingIterBasedTrainLoop

__all__ = ['IndexSkippingIterBasedTrainLoop']
