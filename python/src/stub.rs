//! The extension module's type stub (python/pysrc/quintet/quintet.pyi, shipped beside it), made
//! from the parameter registry: the settings' keyword arguments and properties with their types
//! and defaults come from it, the rest is written here. tests/test_stub.py fails when the
//! committed file differs from what this gives.

use crate::DEFAULT_SAMPLE_RATE_HZ;
use crate::parameters::{self, python_literal};
use crate::settings::stub_keywords;
use pyo3::prelude::*;
use quintet_core::params::Param;

/// The stub as the registry gives it today.
#[pyfunction]
pub fn stub_text() -> String {
    let gain = Param::GAIN.spec();
    let properties: String = parameters::settings()
        .map(|(param, key, _)| {
            let kind = parameters::type_name(param.spec());
            format!(
                "    @property\n    def {key}(self) -> {kind}: ...\n    @{key}.setter\n    \
                 def {key}(self, value: {kind}) -> None: ...\n\n"
            )
        })
        .chain(parameters::families().map(|(_, key, _)| {
            format!(
                "    @property\n    def {key}(self) -> Five: ...\n    @{key}.setter\n    \
                 def {key}(self, values: FiveNumbers) -> None: ...\n\n"
            )
        }))
        .collect();
    format!(
        r#""""Type stub of the `quintet` extension module (python/src/lib.rs, where the documentation is:
help(quintet)). Generated from the parameter registry by python/src/stub.rs: write it with
`python -c "import quintet.quintet as q; print(q._stub_text(), end='')" > python/pysrc/quintet/quintet.pyi`.
tests/test_stub.py checks it is what the registry gives and names what the module has, with the
same parameters."""

from collections.abc import Sequence
from typing import Any, SupportsFloat

import numpy as np
import numpy.typing as npt

from ._player import Player

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
        sample_rate: float = {sample_rate},
        frequencies: FiveNumbers | None = None,
        levels: FiveNumbers | None = None,
        gain: float = {gain},
        *,
{keywords}    ) -> None: ...

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

{properties}

    def note_on(self, key: int, velocity: float = 1.0, channel: int = 0) -> None: ...

    def note_off(self, key: int, channel: int = 0) -> None: ...

    def pitch_bend(self, bend: float, channel: int = 0) -> None: ...

    def control_change(self, controller: int, value: float, channel: int = 0) -> None: ...

    def pressure(self, value: float, key: int | None = None, channel: int = 0) -> None: ...

    def set_tempo(self, bpm: float) -> None: ...

    def all_notes_off(self) -> None: ...

    def set_tuning(self, scale: str | None, kbm: str | None = None, name: str = "") -> None: ...

    @property
    def tuning(self) -> tuple[str, str]: ...

    @property
    def sounding_notes(self) -> list[tuple[int, int]]: ...

    def play(self, **options: Any) -> Player: ...

def render(
    seconds: float,
    sample_rate: float = {sample_rate},
    frequencies: FiveNumbers | None = None,
    levels: FiveNumbers | None = None,
    gain: float = {gain},
) -> npt.NDArray[np.float32]: ...
"#,
        sample_rate = format!("{DEFAULT_SAMPLE_RATE_HZ:?}"),
        gain = python_literal(gain, f64::from(gain.default)),
        keywords = stub_keywords("        "),
        properties = properties.trim_end_matches('\n'),
    )
}
