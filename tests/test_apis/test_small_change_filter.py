"""shrink_small_changes against an element-by-element reference."""
import pytest
import torch

from fst_plugin.apis.small_change_filter import shrink_small_changes


def test_soft_threshold_matches_elementwise_reference():
    torch.manual_seed(0)
    blurry = torch.rand(2, 3, 5, 7)
    restored = (blurry + torch.randn_like(blurry) * 0.02).clamp(0, 1)
    t = 2 / 255
    out = shrink_small_changes(blurry, restored, t)
    for b, r, o in zip(blurry.flatten().tolist(), restored.flatten().tolist(),
                       out.flatten().tolist()):
        change = r - b
        want = b if abs(change) <= t else b + change - t * (1 if change > 0 else -1)
        assert o == pytest.approx(want, abs=1e-6)
    small = (restored - blurry).abs() <= t
    assert 0 < small.float().mean() < 1  # both kinds of pixel were exercised
    assert torch.equal(out[small], blurry[small])


def test_zero_threshold_keeps_the_output_and_negative_is_refused():
    blurry, restored = torch.zeros(1, 3, 2, 2), torch.full((1, 3, 2, 2), 0.5)
    assert shrink_small_changes(blurry, restored, 0) is restored
    with pytest.raises(ValueError, match='threshold must be >= 0'):
        shrink_small_changes(blurry, restored, -0.1)
