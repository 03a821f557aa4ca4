"""Type stub of the `quintet` extension module (python/src/lib.rs, where the documentation is:
help(quintet)). Generated from the parameter registry by python/src/stub.rs: write it with
`python -c "import quintet.quintet as q; print(q._stub_text(), end='')" > python/quintet.pyi`.
tests/test_stub.py checks it is what the registry gives and names what the module has, with the
same parameters."""

from collections.abc import Sequence
from typing import SupportsFloat

import numpy as np
import numpy.typing as npt

__version__: str
PARTIAL_COUNT: int
"""Partials in the bank: 5."""
PARTIAL_AMPLITUDE: float
"""Each partial's amplitude at level 1 and gain 1: a fifth of the voice level (0.5, −6 dB)."""
DEFAULT_FREQUENCIES: tuple[float, float, float, float, float]
"""The notebook's frequencies: 200, 250, 300, 350 and 400 Hz."""
MIN_FREQUENCY: float
"""Lowest frequency a partial may be set to, in Hz (20, as the plugin's parameters)."""
MAX_FREQUENCY: float
"""Highest frequency a partial may be set to, in Hz (20000)."""
MIN_SAMPLE_RATE: float
"""Lowest sample rate, in Hz (8000)."""
MAX_SAMPLE_RATE: float
"""Highest sample rate, in Hz (768000)."""
MAX_VOICES: int
"""Most notes that play at once in MIDI mode: 16."""
GLIDE_MS: float
"""How long a frequency change glides, in milliseconds: 20."""
LEVEL_RAMP_MS: float
"""How long a level change ramps, in milliseconds: 10 (in whole 2.5 ms glide segments)."""
GAIN_RAMP_MS: float
"""How long a gain change ramps, in milliseconds: 10."""
PARAMETERS: tuple[Parameter, ...]
"""Every parameter of the plugin, in the order hosts list them."""

Five = tuple[float, float, float, float, float]
# Any sequence of five numbers, except text and bytes (TypeError): b"12345" is not 49-53 Hz.
FiveNumbers = Sequence[SupportsFloat] | npt.ArrayLike

class Parameter:
    # One parameter of the plugin, as the registry declares it: help(quintet.Parameter).
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def minimum(self) -> float: ...
    @property
    def maximum(self) -> float: ...
    @property
    def default(self) -> float: ...

    def text_to_value(self, text: str) -> float: ...

    def value_to_text(self, value: float) -> str: ...

    def normalize(self, value: float) -> float: ...

class Quintet:
    # What each member does: help(quintet.Quintet).
    def __init__(
        self,
        sample_rate: float = 48000.0,
        frequencies: FiveNumbers | None = None,
        levels: FiveNumbers | None = None,
        gain: float = 1.0,
        *,
        midi: bool = False,
        midi_glide_ms: float = 0.0,
        voices: int = 8,
        attack_ms: float = 5.0,
        decay_ms: float = 200.0,
        sustain: float = 1.0,
        release_ms: float = 20.0,
        bend_range: int = 2,
        key_tilt_db: float = 0.0,
        mpe: bool = False,
        unison: int = 1,
        unison_detune_cents: int = 10,
        unison_width: float = 0.5,
        partial_attack: FiveNumbers = (1.0, 1.0, 1.0, 1.0, 1.0),
        partial_decay: FiveNumbers = (1.0, 1.0, 1.0, 1.0, 1.0),
        partial_sustain: FiveNumbers = (1.0, 1.0, 1.0, 1.0, 1.0),
        partial_velocity: FiveNumbers = (0.0, 0.0, 0.0, 0.0, 0.0),
        pans: FiveNumbers = (0.0, 0.0, 0.0, 0.0, 0.0),
    ) -> None: ...

    def render(self, n: int, channels: int = 1) -> npt.NDArray[np.float32]: ...

    def render_into(self, out: npt.NDArray[np.float32]) -> None: ...

    @property
    def sample_rate(self) -> float: ...

    @property
    def samples_rendered(self) -> int: ...

    @property
    def frequencies(self) -> Five: ...
    @frequencies.setter
    def frequencies(self, values: FiveNumbers) -> None: ...

    def set_frequencies(self, values: FiveNumbers, glide: bool = True) -> None: ...

    @property
    def current_frequencies(self) -> Five: ...

    @property
    def levels(self) -> Five: ...
    @levels.setter
    def levels(self, values: FiveNumbers) -> None: ...

    def set_levels(self, values: FiveNumbers, ramp: bool = True) -> None: ...

    @property
    def gain(self) -> float: ...
    @gain.setter
    def gain(self, value: float) -> None: ...

    def set_gain(self, value: float, ramp: bool = True) -> None: ...

    @property
    def midi(self) -> bool: ...
    @midi.setter
    def midi(self, value: bool) -> None: ...

    @property
    def midi_glide_ms(self) -> float: ...
    @midi_glide_ms.setter
    def midi_glide_ms(self, value: float) -> None: ...

    @property
    def voices(self) -> int: ...
    @voices.setter
    def voices(self, value: int) -> None: ...

    @property
    def attack_ms(self) -> float: ...
    @attack_ms.setter
    def attack_ms(self, value: float) -> None: ...

    @property
    def decay_ms(self) -> float: ...
    @decay_ms.setter
    def decay_ms(self, value: float) -> None: ...

    @property
    def sustain(self) -> float: ...
    @sustain.setter
    def sustain(self, value: float) -> None: ...

    @property
    def release_ms(self) -> float: ...
    @release_ms.setter
    def release_ms(self, value: float) -> None: ...

    @property
    def bend_range(self) -> int: ...
    @bend_range.setter
    def bend_range(self, value: int) -> None: ...

    @property
    def key_tilt_db(self) -> float: ...
    @key_tilt_db.setter
    def key_tilt_db(self, value: float) -> None: ...

    @property
    def mpe(self) -> bool: ...
    @mpe.setter
    def mpe(self, value: bool) -> None: ...

    @property
    def unison(self) -> int: ...
    @unison.setter
    def unison(self, value: int) -> None: ...

    @property
    def unison_detune_cents(self) -> int: ...
    @unison_detune_cents.setter
    def unison_detune_cents(self, value: int) -> None: ...

    @property
    def unison_width(self) -> float: ...
    @unison_width.setter
    def unison_width(self, value: float) -> None: ...

    @property
    def partial_attack(self) -> Five: ...
    @partial_attack.setter
    def partial_attack(self, values: FiveNumbers) -> None: ...

    @property
    def partial_decay(self) -> Five: ...
    @partial_decay.setter
    def partial_decay(self, values: FiveNumbers) -> None: ...

    @property
    def partial_sustain(self) -> Five: ...
    @partial_sustain.setter
    def partial_sustain(self, values: FiveNumbers) -> None: ...

    @property
    def partial_velocity(self) -> Five: ...
    @partial_velocity.setter
    def partial_velocity(self, values: FiveNumbers) -> None: ...

    @property
    def pans(self) -> Five: ...
    @pans.setter
    def pans(self, values: FiveNumbers) -> None: ...

    def note_on(self, key: int, velocity: float = 1.0, channel: int = 0) -> None: ...

    def note_off(self, key: int, channel: int = 0) -> None: ...

    def pitch_bend(self, bend: float, channel: int = 0) -> None: ...

    def control_change(self, controller: int, value: float, channel: int = 0) -> None: ...

    def all_notes_off(self) -> None: ...

    @property
    def sounding_notes(self) -> list[tuple[int, int]]: ...

def render(
    seconds: float,
    sample_rate: float = 48000.0,
    frequencies: FiveNumbers | None = None,
    levels: FiveNumbers | None = None,
    gain: float = 1.0,
) -> npt.NDArray[np.float32]: ...
