# fst_1xb8-1000e_gopro.py with training crops read from a frame store (decoded once, memory
# mapped) instead of decoded PNGs: the same samples for the same seed.
#   python tools/dataset_converters/build_frame_store.py data/GOPRO_Large data/GOPRO_Large_store
#   python tools/train.py configs/fst/fst_1xb8-1000e_gopro-store.py
_base_ = ['./fst_1xb8-1000e_gopro.py']

experiment_name = 'fst_1xb8-1000e_gopro-store'
work_dir = f'./work_dirs/{experiment_name}'
frame_store = 'data/GOPRO_Large_store'

train_dataloader = dict(
    dataset=dict(frame_store=frame_store, pipeline={{_base_.store_train_pipeline}}))
