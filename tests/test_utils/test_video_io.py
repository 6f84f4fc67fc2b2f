"""Frame folders and video files: natural order, lossless round trips, properties, errors."""
import cv2
import numpy as np
import pytest

from fst_plugin.utils.video_io import (FrameWriter, frame_sort_key, is_video_file, iter_frames,
                                       list_image_files, video_properties)


def clip(n=4, h=24, w=32):
    """Smooth random frames (JPEG-based codecs keep them within a few levels)."""
    rng = np.random.default_rng(0)
    return [cv2.resize(rng.integers(0, 256, (3, 4, 3), dtype=np.uint8), (w, h),
                       interpolation=cv2.INTER_CUBIC) for _ in range(n)]


def test_frame_folder_round_trip_keeps_names_order_and_pixels(tmp_path):
    frames = clip(n=11)
    names = [f'{i}.png' for i in range(11)]  # 10.png sorts after 9.png
    with FrameWriter(str(tmp_path / 'out'), names=names) as writer:
        for f in frames:
            writer.write(f)
    files = list_image_files(str(tmp_path / 'out'))
    assert [p.rsplit('/', 1)[1] for p in files] == names
    back = list(iter_frames(str(tmp_path / 'out')))
    assert all(np.array_equal(a, b) for a, b in zip(frames, back))  # PNG is lossless, RGB
    assert len(list(iter_frames(str(tmp_path / 'out'), max_frames=3))) == 3
    assert sorted(['b10', 'b9', 'a1'], key=frame_sort_key) == ['a1', 'b9', 'b10']


def test_video_file_keeps_count_size_and_fps(tmp_path):
    path = str(tmp_path / 'v.avi')
    frames = clip(n=5)
    with FrameWriter(path, fps=12.5) as writer:
        for f in frames:
            writer.write(f)
    assert is_video_file(path) and not is_video_file(str(tmp_path))
    fps, count, w, h = video_properties(path)
    assert (count, w, h) == (5, 32, 24) and fps == pytest.approx(12.5)
    back = list(iter_frames(path))
    assert len(back) == 5 and back[0].shape == (24, 32, 3)
    # MJPG is lossy, but the frames are the written ones (in RGB order), not others
    err = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(frames, back)]
    other = np.abs(frames[0].astype(int) - back[1].astype(int)).mean()
    swapped = np.abs(frames[0].astype(int) - back[0][..., ::-1].astype(int)).mean()
    assert max(err) < 10 and other > 4 * max(err) and swapped > 4 * max(err), (err, other)


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.mp4 does not exist'):
        next(iter_frames(str(tmp_path / 'nothing.mp4')))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='holds no image frames'):
        next(iter_frames(str(tmp_path / 'empty')))
    (tmp_path / 'broken').mkdir()
    (tmp_path / 'broken' / '0.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match=r'cannot decode frame .*0\.png'):
        next(iter_frames(str(tmp_path / 'broken')))
    (tmp_path / 'fake.mp4').write_bytes(b'no video here')
    with pytest.raises(ValueError, match='fake.mp4'):
        list(iter_frames(str(tmp_path / 'fake.mp4')))
    with pytest.raises(ValueError, match='use a video file'):
        FrameWriter(str(tmp_path / 'out.txt'))
    assert cv2.imread(str(tmp_path / 'broken' / '0.png')) is None
