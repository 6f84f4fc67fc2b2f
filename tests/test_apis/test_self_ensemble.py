"""x8 self-ensemble: the eight views, and the inferencer against a naive ensemble."""
import numpy as np
import pytest
import torch

from fst_plugin.apis import VideoDeblurInferencer
from fst_plugin.apis.self_ensemble import (DIHEDRAL, IDENTITY, add_view, average_views,
                                          from_view, to_view, view_size)


def to_clip(frs):
    return torch.stack([torch.from_numpy(f).permute(2, 0, 1).float() / 255 for f in frs])[None]


def to_uint8(x):
    return (x[0].clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()


def test_eight_distinct_views_each_undone_by_from_view():
    x = torch.arange(2 * 3 * 5, dtype=torch.float32).reshape(1, 2, 3, 5)
    seen = set()
    for view in DIHEDRAL:
        y = to_view(x, view)
        assert y.shape[-2:] == view_size(3, 5, view)
        assert y.is_contiguous()
        seen.add(tuple(y.flatten().tolist()) + tuple(y.shape))
        assert torch.equal(from_view(y, view), x), view
    assert len(seen) == 8 and IDENTITY in DIHEDRAL
    assert to_view(x, IDENTITY) is x  # the default path is untouched


def test_single_view_output_is_passed_on_without_arithmetic():
    outputs = [torch.rand(1, 3, 4, 5) for _ in range(3)]
    assert average_views(add_view(None, outputs[0]), 1) is outputs[0]
    total = None
    for out in outputs:
        total = add_view(total, out)
    assert torch.allclose(average_views(total, 3), torch.stack(outputs).mean(0))


def naive_ensemble(net, clip):
    """MMagic-style: the network on each transformed clip, mapped back, averaged."""
    with torch.no_grad():
        return sum(from_view(net(to_view(clip, v)), v) for v in DIHEDRAL) / len(DIHEDRAL)


@pytest.mark.parametrize('name,cache', [('fst', True), ('fst', False), ('edvr', False)])
def test_window_models_equal_the_naive_ensemble(tmp_path, name, cache, make_model, frames):
    cfg, ckpt, net = make_model(tmp_path, name)
    video = frames(n=4, h=18, w=26)  # not square, not a multiple of the network's scale
    inferencer = VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                       encoder_cache=cache, self_ensemble=True)
    outputs = list(inferencer(iter(video)))
    plain = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                       encoder_cache=cache)(iter(video)))
    n = len(video)
    differs = 0
    for i, (out, single) in enumerate(zip(outputs, plain)):
        idx = [min(max(i + o, 0), n - 1) for o in range(-2, 3)]
        ref = to_uint8(naive_ensemble(net, to_clip([video[j] for j in idx])))
        assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1, i
        differs += int(np.abs(out.astype(int) - single.astype(int)).max() > 2)
    assert differs == n  # a random network is not equivariant: the ensemble changes it
    if cache:  # every frame encoded once per view
        assert inferencer.stats['encoded'] == 8 * n


def test_recurrent_model_runs_one_recurrence_per_view(tmp_path, make_model, frames):
    cfg, ckpt, net = make_model(tmp_path, 'stfan')
    video = frames(n=4, h=18, w=26)
    outputs = list(VideoDeblurInferencer(cfg, ckpt, device='cpu', tile=None,
                                         self_ensemble=True)(iter(video)))
    ref = naive_ensemble(net, to_clip(video))  # (1, t, c, h, w): every frame
    for i, out in enumerate(outputs):
        assert np.abs(out.astype(int) - to_uint8(ref[:, i]).astype(int)).max() <= 1, i


def test_memory_plan_counts_a_cache_per_view(tmp_path, make_model):
    cfg, ckpt, _ = make_model(tmp_path, 'fst')
    single = VideoDeblurInferencer(cfg, ckpt, device='cpu').memory_profile(True)
    if single is None:
        pytest.skip('peak memory cannot be measured here (no Linux /proc)')
    ensemble = VideoDeblurInferencer(cfg, ckpt, device='cpu',
                                     self_ensemble=True).memory_profile(True)
    assert ensemble.kept_frames == 8 * single.kept_frames == 8 * 5
