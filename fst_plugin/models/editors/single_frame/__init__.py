from .single_frame_control_net import SingleFrameControlNet

__all__ = ['SingleFrameControlNet']
