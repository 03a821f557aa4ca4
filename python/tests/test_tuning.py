"""Scala tunings from Python: notes at their scale frequencies, keys a map leaves silent, a
malformed file refused with its line and reason and nothing changed."""

import numpy as np
import pytest
import quintet
from quintet_host import assert_partials

RATE_HZ = 48_000
RATIOS = np.array([1.0, 1.25, 1.5, 1.75, 2.0])  # of the default 200, 250, 300, 350, 400 Hz

# 5-limit just intonation; the map puts 1/1 on D (key 62) and A4 (3/2 above it) at 432 Hz.
JUST_SCALE = "! just.scl\n5-limit just\n12\n16/15\n9/8\n6/5\n5/4\n4/3\n45/32\n3/2\n8/5\n5/3\n9/5\n15/8\n2/1\n"
JUST_MAP = "12\n0\n127\n62\n69\n432.0\n12\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n"
# Seven degrees on the white keys; black keys silent.
WHITE_KEYS = "12\n0\n127\n60\n60\n261.6255653005986\n7\n0\nx\n1\nx\n2\n3\nx\n4\nx\n5\nx\n6\n"
JUST_MAJOR = "just major\n7\n9/8\n5/4\n4/3\n3/2\n5/3\n15/8\n2/1\n"


def test_notes_play_the_scale_and_the_map():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True)
    assert q.tuning[0] == "12-TET"
    q.set_tuning(JUST_SCALE, JUST_MAP, name="just")
    assert q.tuning == ("just", "5-limit just")
    q.note_on(62)
    assert_partials(q.render(2 * RATE_HZ), 288.0 * RATIOS, amplitude=quintet.PARTIAL_AMPLITUDE)


def test_keys_the_map_leaves_silent_play_nothing():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True)
    q.set_tuning(JUST_MAJOR, WHITE_KEYS)
    q.note_on(61)
    assert q.sounding_notes == []
    assert not q.render(RATE_HZ // 10).any()


def test_partials_on_the_scale_play_a_chord_of_it():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, partials_on_scale=True)
    assert q.partial_degrees == (0, 2, 4, 7, 9)
    q.set_tuning(JUST_SCALE, JUST_MAP)
    q.note_on(62)
    assert_partials(
        q.render(2 * RATE_HZ),
        np.array([288.0, 324.0, 360.0, 432.0, 480.0]),
        amplitude=quintet.PARTIAL_AMPLITUDE,
    )


def test_a_malformed_scale_is_refused_with_its_line_and_changes_nothing():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True)
    q.set_tuning(JUST_SCALE, JUST_MAP, name="just")
    with pytest.raises(ValueError, match="scale, line 3: the ratio 0/1 has a zero"):
        q.set_tuning("bad\n2\n0/1\n2/1\n")
    with pytest.raises(ValueError, match="keyboard map, line 1: announces 2 keys"):
        q.set_tuning(JUST_SCALE, "2\n0\n127\n60\n69\n440\n1\n0\n")
    assert q.tuning[0] == "just"
    q.note_on(69)
    assert_partials(q.render(2 * RATE_HZ), 432.0 * RATIOS, amplitude=quintet.PARTIAL_AMPLITUDE)
    q.set_tuning(None)
    assert q.tuning[0] == "12-TET"
