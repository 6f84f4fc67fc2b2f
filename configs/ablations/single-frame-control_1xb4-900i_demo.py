# Control: a two-layer single-frame residual CNN (SingleFrameControlNet, 3.5k parameters) with
# the demo recipe. A video network's gain counts only where it beats this control.
_base_ = ['../fst/fst-half_1xb4-900i_demo.py']

experiment_name = 'single-frame-control_1xb4-900i_demo'
work_dir = f'./work_dirs/{experiment_name}'

model = dict(generator=dict(type='SingleFrameControlNet', mid_channels=32, num_frames=5,
                            _delete_=True))
