"""Issue 24: the stereo signal, (frames, 2), when asked; the mono render is its mean."""

import numpy as np
import pytest
import quintet

WIDE = dict(midi=True, pans=(-1.0, -0.3, 0.0, 0.5, 1.0), unison=3, unison_width=0.8)


def wide_note(**settings):
    synth = quintet.Quintet(**{**WIDE, **settings})
    synth.note_on(60, 1.0)
    return synth


def test_channels_2_is_left_and_right_and_the_mono_render_their_mean():
    stereo = wide_note().render(9600, channels=2)
    mono = wide_note().render(9600)
    assert stereo.shape == (9600, 2) and stereo.dtype == np.float32
    assert mono.shape == (9600,)
    assert not np.array_equal(stereo[:, 0], stereo[:, 1])
    assert np.array_equal(mono, (stereo[:, 0] + stereo[:, 1]) * np.float32(0.5))


def test_a_centred_patch_carries_the_mono_signal_on_both_channels():
    stereo = wide_note(pans=(0.0,) * 5, unison=1).render(4800, channels=2)
    mono = wide_note(pans=(0.0,) * 5, unison=1).render(4800)
    assert np.array_equal(stereo[:, 0], mono) and np.array_equal(stereo[:, 1], mono)


def test_a_stereo_render_continues_where_the_last_ended():
    synth = wide_note()
    whole = wide_note().render(5000, channels=2)
    first = synth.render(1234, channels=2)
    rest = synth.render(5000 - 1234, channels=2)
    assert np.array_equal(np.concatenate([first, rest]), whole)
    assert synth.samples_rendered == 5000


def test_only_one_or_two_channels():
    with pytest.raises(ValueError, match="channels"):
        wide_note().render(10, channels=3)
