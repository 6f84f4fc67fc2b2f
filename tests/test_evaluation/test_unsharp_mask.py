"""The tuned unsharp mask baseline: it sharpens, and its tuning finds the best setting."""
import cv2
import numpy as np

from fst_plugin.evaluation.unsharp_mask import psnr, tune_unsharp_mask, unsharp_mask


def test_unsharp_mask_undoes_part_of_a_gaussian_blur():
    rng = np.random.default_rng(0)
    sharp = cv2.resize(rng.integers(0, 255, (16, 16, 3), np.uint8), (64, 64),
                       interpolation=cv2.INTER_CUBIC)
    blurry = cv2.GaussianBlur(sharp, (0, 0), 1.0)
    assert np.array_equal(unsharp_mask(blurry, 1.0, 0.0), blurry)  # amount 0: the input
    best = tune_unsharp_mask([(blurry, sharp)])
    assert best['amount'] > 0 and best['PSNR'] > best['input_PSNR'] + 0.5
    # the reported setting is the one that scores the reported PSNR
    again = psnr(unsharp_mask(blurry, best['sigma'], best['amount']), sharp)
    assert abs(again - best['PSNR']) < 1e-9


def test_on_sharp_frames_the_tuned_filter_changes_nothing():
    frame = np.random.default_rng(1).integers(0, 255, (32, 32, 3), np.uint8)
    best = tune_unsharp_mask([(frame, frame)])
    assert best['amount'] == 0.0
