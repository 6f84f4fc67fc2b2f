# configs/fst_gopro.py reading its training crops from a frame store instead of decoding
# 1280x720 PNGs (see tools/build_frame_store.py and README "Data loading"): the same samples
# for the same seed, without the decoding that keeps a GPU waiting.
#   python tools/build_frame_store.py data/GOPRO_Large data/GOPRO_Large_store
#   python tools/train.py configs/fst_gopro_store.py
_base_ = ['./fst_gopro.py']

experiment_name = 'fst_gopro_store'
work_dir = f'./work_dirs/{experiment_name}'
frame_store = 'data/GOPRO_Large_store'

train_dataloader = dict(
    dataset=dict(frame_store=frame_store, pipeline={{_base_.store_train_pipeline}}))
