"""What the host tests know about Quintet, and how they read a spectrum.

The bundles come from `cargo xtask bundle quintet` (scripts/test builds them in the dev profile,
into target/debug/bundled, so nice-plug's `assert_process_allocs` aborts the host if the audio
thread allocates). Set QUINTET_BUNDLE_DIR to test bundles somewhere else, e.g. the release
bundles in target/release/bundled.

The parameters come from the parameter registry (core/src/params/registry.rs), as JSON:
scripts/test writes it beside the bundles in the same stage (`parameters.json`, from
`cargo run -p quintet-core --example parameters`), because these tests run before the Python
module (which exposes the registry too) is built; without that file, it is made here the same
way. QUINTET_PARAMETERS_JSON names another file.
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLE_DIR = Path(
    os.environ.get("QUINTET_BUNDLE_DIR") or REPO_ROOT / "target" / "debug" / "bundled"
)

PARAMETERS_JSON = Path(
    os.environ.get("QUINTET_PARAMETERS_JSON") or BUNDLE_DIR / "parameters.json"
)


def read_registry():
    """Every parameter as the registry declares it, in its order: id, name, kind, min, max,
    skew (of the host position), default."""
    if PARAMETERS_JSON.is_file():
        text = PARAMETERS_JSON.read_text()
    else:
        command = ["cargo", "run", "--quiet", "--locked", "-p", "quintet-core", "--example", "parameters"]
        text = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(text)


# Every parameter Quintet declares, by the name hosts show, in its order.
PARAMETERS = {parameter["name"]: parameter for parameter in read_registry()}
QUINTET_PARAMETER_NAMES = tuple(PARAMETERS)
PARTIAL_NAMES = [p["name"] for p in PARAMETERS.values() if p["id"].startswith("freq")]
DEFAULT_FREQUENCIES_HZ = [PARAMETERS[name]["default"] for name in PARTIAL_NAMES]

SAMPLE_RATE_HZ = 48_000
# A partial at level 1 and gain 0 dB: a fifth of the voice level (0.5), in the drone and in a
# note whatever the voice count.
PARTIAL_AMPLITUDE = 0.1


def to_normalized(name, value):
    """The 0..1 position a host sends for parameter `name`'s plain `value`: the proportion of
    its range, to the power of its skew (1 for an even range, as a count's)."""
    parameter = PARAMETERS[name]
    low, high = parameter["min"], parameter["max"]
    return ((min(max(value, low), high) - low) / (high - low)) ** parameter["skew"]


def voices_to_normalized(voices):
    """The 0..1 position a host sends for `voices` voices."""
    return to_normalized("Voices", voices)


def frequency_to_normalized(hz):
    """The 0..1 position a host sends for `hz` (the tests check by display text that the plugin
    agrees, so a change there fails here rather than testing the wrong frequencies)."""
    return to_normalized(PARTIAL_NAMES[0], hz)


def amplitude_spectrum(mono, sample_rate_hz=SAMPLE_RATE_HZ):
    """Peak-amplitude spectrum of the last second of `mono` (1 Hz bins, Hann window).

    A sine of amplitude A on an integer frequency reads A in its bin, and the Hann window keeps
    its leakage to the two neighbouring bins.
    """
    tail = np.asarray(mono[-sample_rate_hz:], dtype=np.float64)
    assert tail.size == sample_rate_hz, "render at least one second"
    window = np.hanning(tail.size)
    magnitudes = np.abs(np.fft.rfft(tail * window)) * 2.0 / window.sum()
    frequencies = np.fft.rfftfreq(tail.size, 1.0 / sample_rate_hz)
    return frequencies, magnitudes


def assert_partials(
    mono, expected_hz, amplitude=PARTIAL_AMPLITUDE, loudest_other=1e-4, amplitude_tolerance=0.01
):
    """The last second of `mono` holds sines at exactly `expected_hz`, each at `amplitude`
    (within `amplitude_tolerance`, relative), and nothing else above `loudest_other` (-66 dB
    below a partial). A sine between two 1 Hz bins reads up to 15 % low through the Hann window."""
    frequencies, magnitudes = amplitude_spectrum(mono)
    rest = magnitudes.copy()
    for hz in expected_hz:
        bin_index = int(np.argmin(np.abs(frequencies - hz)))
        start = max(bin_index - 3, 0)
        near = slice(start, bin_index + 4)
        peak = start + int(np.argmax(magnitudes[near]))
        assert frequencies[peak] == pytest.approx(hz, abs=0.5), (
            f"partial expected at {hz} Hz peaks at {frequencies[peak]} Hz"
        )
        assert magnitudes[peak] == pytest.approx(amplitude, rel=amplitude_tolerance), (
            f"partial at {hz} Hz has amplitude {magnitudes[peak]:.5f}, expected {amplitude}"
        )
        rest[near] = 0.0
    loudest = int(np.argmax(rest))
    assert rest[loudest] < loudest_other, (
        f"unexpected energy at {frequencies[loudest]} Hz: amplitude {rest[loudest]:.2e}"
    )


# VST3 has no MIDI input of its own: for pitch bend (and any CC) nice-plug declares, through
# IMidiMapping, one hidden read-only parameter per MIDI channel for each of the 128 CCs, channel
# pressure and pitch bend. Hosts that list every parameter (pedalboard, DawDreamer) show them.
VST3_MIDI_PARAMETER_COUNT = 16 * 130


def split_vst3_midi_parameters(names):
    """(Quintet's own parameter names, the hidden "MIDI Ch. …" ones) of a VST3 parameter list."""
    names = list(names)
    midi = [name for name in names if name.startswith("MIDI Ch. ")]
    return [name for name in names if not name.startswith("MIDI Ch. ")], midi


def write_midi_file(path, events):
    """Writes a standard MIDI file (format 0, 120 bpm) of `(seconds, [status, data…])` events."""
    ticks_per_second = 960  # 480 ticks per quarter note at the default 120 bpm

    def variable_length(number):
        groups = [number & 0x7F]
        number >>= 7
        while number:
            groups.append(0x80 | (number & 0x7F))
            number >>= 7
        return bytes(reversed(groups))

    track, last_tick = b"", 0
    for seconds, message in sorted(events, key=lambda event: event[0]):
        tick = round(seconds * ticks_per_second)
        track += variable_length(tick - last_tick) + bytes(message)
        last_tick = tick
    track += b"\x00\xff\x2f\x00"  # end of track
    header = b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
    header += (ticks_per_second // 2).to_bytes(2, "big")
    Path(path).write_bytes(header + b"MTrk" + len(track).to_bytes(4, "big") + track)
