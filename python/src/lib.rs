//! `quintet`: Quintet's own engine as a Python extension module, for numpy and notebooks.
//!
//! A thin layer over `quintet_core::engine::Engine`, the engine the plugin and `quintet render`
//! drive: Python values are checked and turned into the engine's plain values, and samples come
//! back as float32 numpy arrays. There is no second implementation of the sound, so with the same
//! settings this module renders exactly the samples the plugin plays.
//!
//! Every argument is checked before anything changes: a bad one raises `ValueError` or
//! `TypeError` and leaves the object as it was; every number goes through [`numbers`], so an
//! int of any size is refused like any other out-of-range value. The engine sits behind a mutex
//! and every call waits for it with the GIL released, so one object shared by several Python
//! threads works (the calls take turns) and renders never hold up the other threads; `os.fork()`
//! waits for the renders in progress ([`fork`]), so the child finds every object usable.

mod fork;
mod numbers;

use numbers::{Real, checked, checked_int};
use numpy::{PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyMemoryError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use quintet_core::dsp::bank::GAIN_RAMP_MS;
use quintet_core::dsp::envelope::{ATTACK_MS, DECAY_MS, EnvelopeShape, RELEASE_MS};
use quintet_core::dsp::{
    DEFAULT_FREQUENCIES_HZ, GLIDE_MS, LEVEL_RAMP_MS, PARTIAL_AMPLITUDE, PARTIAL_COUNT,
};
use quintet_core::engine::pitch::DEFAULT_BEND_RANGE_SEMITONES;
use quintet_core::engine::{
    ALL_NOTES_OFF_CC, Engine, MAX_BEND_RANGE_SEMITONES, MAX_VOICES, Motion, NoteInput, NoteMatch,
    NoteRef, Settings,
};
use quintet_core::limits;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLockReadGuard};

/// The frequency parameters' range in the plugin, in Hz; `quintet render --freqs` takes the same.
/// The tests check that the module and `quintet render` accept and refuse the same values.
const FREQUENCY_RANGE_HZ: (f64, f64) = (
    limits::MIN_FREQUENCY_HZ as f64,
    limits::MAX_FREQUENCY_HZ as f64,
);
/// The sample rates `quintet render` accepts, where the bank is promised to work, in Hz.
const SAMPLE_RATE_RANGE_HZ: (f64, f64) = limits::SAMPLE_RATE_RANGE_HZ;
/// The plugin's envelope times, in milliseconds.
const ENVELOPE_RANGE_MS: (f64, f64) = (0.0, limits::MAX_ENVELOPE_MS as f64);
/// The plugin's MIDI glide, in milliseconds.
const MIDI_GLIDE_RANGE_MS: (f64, f64) = (0.0, limits::MAX_MIDI_GLIDE_MS as f64);
/// The longest one-shot render, in seconds (as `quintet render`).
const MAX_SECONDS: f64 = limits::MAX_RENDER_SECONDS;
/// The plugin's default voice count.
const DEFAULT_VOICES: usize = limits::DEFAULT_VOICES;
// The defaults `Quintet(...)` and `render(...)` write out as literals are the engine's.
const _: () = {
    assert!(DEFAULT_VOICES == 8);
    assert!(ATTACK_MS == 5.0 && DECAY_MS == 200.0 && RELEASE_MS == 20.0);
    assert!(DEFAULT_BEND_RANGE_SEMITONES == 2.0);
};
/// MIDI keys, channels and controllers are numbered from 0 to these.
const MAX_KEY: i64 = 127;
const MAX_CHANNEL: i64 = 15;
const MAX_CONTROLLER: i64 = 127;

/// Values from 0 to 1 (levels, gain, velocity, sustain, controller values).
const UNIT_RANGE: (f64, f64) = (0.0, 1.0);

/// Five numbers, one per partial, each finite and within `range`.
fn five(
    name: &str,
    values: &Bound<'_, PyAny>,
    range: (f64, f64),
    unit: &str,
) -> PyResult<[f64; PARTIAL_COUNT]> {
    let not_numbers = || {
        PyTypeError::new_err(format!(
            "{name} must be a sequence of {PARTIAL_COUNT} numbers, one per partial, got {}",
            type_name(values)
        ))
    };
    // Text and bytes are sequences too, of characters and of their codes: b"12345" would play
    // 49 to 53 Hz.
    if values.is_instance_of::<PyString>()
        || values.is_instance_of::<PyBytes>()
        || values.is_instance_of::<PyByteArray>()
    {
        return Err(not_numbers());
    }
    let list: Vec<Real> = values.extract().map_err(|_| not_numbers())?;
    let count = list.len();
    let array: [Real; PARTIAL_COUNT] = list.try_into().map_err(|_| {
        PyValueError::new_err(format!(
            "{name} must have {PARTIAL_COUNT} values, one per partial, got {count}"
        ))
    })?;
    let mut checked_values = [0.0; PARTIAL_COUNT];
    for (k, (value, checked_value)) in array.into_iter().zip(&mut checked_values).enumerate() {
        *checked_value = checked(&format!("{name}[{k}]"), value, range, unit)?;
    }
    Ok(checked_values)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| String::from("?"), |name| name.to_string())
}

fn frequencies_from(values: &Bound<'_, PyAny>) -> PyResult<[f64; PARTIAL_COUNT]> {
    five("frequencies", values, FREQUENCY_RANGE_HZ, " Hz")
}

fn levels_from(values: &Bound<'_, PyAny>) -> PyResult<[f32; PARTIAL_COUNT]> {
    Ok(five("levels", values, UNIT_RANGE, "")?.map(|level| level as f32))
}

// One parse function per numeric argument: Python's value in, the engine's out, refused with a
// `ValueError` naming the argument when out of range (however large the int: see `numbers`).
// Each is the argument's `from_py_with`, so the methods receive only checked values.

fn sample_rate_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("sample_rate", value.extract()?, SAMPLE_RATE_RANGE_HZ, " Hz")
}

fn seconds_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("seconds", value.extract()?, (0.0, MAX_SECONDS), " s")
}

/// A count of samples: not negative.
fn samples_from(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    Ok(checked_int("n", value.extract()?, 0, i64::MAX)? as usize)
}

fn gain_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    Ok(checked("gain", value.extract()?, UNIT_RANGE, "")? as f32)
}

fn voices_from(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    Ok(checked_int("voices", value.extract()?, 1, MAX_VOICES as i64)? as usize)
}

fn attack_ms_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("attack_ms", value.extract()?, ENVELOPE_RANGE_MS, " ms")
}

fn decay_ms_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("decay_ms", value.extract()?, ENVELOPE_RANGE_MS, " ms")
}

fn sustain_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    Ok(checked("sustain", value.extract()?, UNIT_RANGE, "")? as f32)
}

fn release_ms_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("release_ms", value.extract()?, ENVELOPE_RANGE_MS, " ms")
}

fn bend_range_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    let range = (0.0, MAX_BEND_RANGE_SEMITONES);
    checked("bend_range", value.extract()?, range, " semitones")
}

fn midi_glide_ms_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked(
        "midi_glide_ms",
        value.extract()?,
        MIDI_GLIDE_RANGE_MS,
        " ms",
    )
}

fn key_from(value: &Bound<'_, PyAny>) -> PyResult<u8> {
    Ok(checked_int("key", value.extract()?, 0, MAX_KEY)? as u8)
}

fn channel_from(value: &Bound<'_, PyAny>) -> PyResult<u8> {
    Ok(checked_int("channel", value.extract()?, 0, MAX_CHANNEL)? as u8)
}

fn velocity_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    Ok(checked("velocity", value.extract()?, UNIT_RANGE, "")? as f32)
}

/// A pitch wheel position from -1 to 1, as the engine's 0 to 1.
fn bend_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    let bend = checked("bend", value.extract()?, (-1.0, 1.0), "")?;
    Ok(((bend + 1.0) / 2.0) as f32)
}

fn controller_from(value: &Bound<'_, PyAny>) -> PyResult<u8> {
    Ok(checked_int("controller", value.extract()?, 0, MAX_CONTROLLER)? as u8)
}

fn controller_value_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    Ok(checked("value", value.extract()?, UNIT_RANGE, "")? as f32)
}

/// `samples` zeros, or `MemoryError` when they cannot be had (instead of aborting the process).
fn zeros(samples: usize) -> PyResult<Vec<f32>> {
    let mut out = Vec::new();
    out.try_reserve_exact(samples).map_err(|_| {
        PyMemoryError::new_err(format!("cannot allocate {samples} float32 samples"))
    })?;
    out.resize(samples, 0.0);
    Ok(out)
}

/// Five values as the tuple Python gets (immutable, so `q.frequencies[0] = 300` fails loudly
/// instead of changing a copy).
type Five = (f64, f64, f64, f64, f64);

fn five_tuple([a, b, c, d, e]: [f64; PARTIAL_COUNT]) -> Five {
    (a, b, c, d, e)
}

/// Numbers as Python writes a tuple of them: `(200.0, 250.0)`, `(3,)`.
fn python_tuple<T: std::fmt::Debug>(values: &[T]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    match items.as_slice() {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

fn motions(smooth: bool) -> [Motion; PARTIAL_COUNT] {
    [if smooth { Motion::Smooth } else { Motion::Jump }; PARTIAL_COUNT]
}

/// The engine and how far it has rendered.
struct State {
    engine: Engine,
    samples_rendered: u64,
}

impl State {
    fn render(&mut self, out: &mut [f32]) {
        self.engine.render(out);
        // No host here keeps per-voice modulators to free; draining the reports keeps the
        // engine's report slots free, as `quintet render` does.
        self.engine.take_ended(|_| {});
        self.samples_rendered += out.len() as u64;
    }
}

/// An engine in use: its lock, and the mark that holds a fork off meanwhile. The fields drop in
/// this order, the engine's lock first.
struct InUse<'a> {
    state: MutexGuard<'a, State>,
    _fork_held_off: RwLockReadGuard<'static, ()>,
}

impl Deref for InUse<'_> {
    type Target = State;

    fn deref(&self) -> &State {
        &self.state
    }
}

impl DerefMut for InUse<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
}

/// Quintet's five sine partials at one sample rate, rendered block by block.
///
/// The same engine the plugin and ``quintet render`` play: each partial is an exact,
/// drift-free phase accumulator, so ``render`` continues the phases from the last call whatever
/// the block sizes, and with the same settings the samples are the plugin's, bit for bit.
///
/// Changing ``frequencies`` glides each partial over 20 ms, evenly in pitch, exactly as plugin
/// automation does; ``levels`` and ``gain`` ramp over 10 ms. ``set_frequencies(...,
/// glide=False)`` (and ``ramp=False`` for levels and gain) jumps instead. Levels and gain are
/// linear (0 = silent, 1 = full; each partial plays at a fifth of full scale at level 1).
///
/// With ``midi=True`` it is the polyphonic instrument: ``note_on``/``note_off`` play notes on up
/// to ``voices`` voices, each with the five partials at the ratios the frequencies set (partial 1
/// on the note), under an ADSR envelope.
///
/// One object may be used from several threads: the calls take turns (a lock), and a render
/// releases the GIL, so other Python threads run meanwhile.
#[pyclass(frozen, module = "quintet")]
struct Quintet {
    state: Mutex<State>,
    sample_rate_hz: f64,
}

impl Quintet {
    /// Runs `action` on the state with the GIL released: waiting for another thread's render
    /// never blocks the interpreter, and rendering never needs the GIL, so the lock and the
    /// GIL are never held waiting for each other.
    fn with_state<T: Send>(
        &self,
        py: Python<'_>,
        action: impl FnOnce(&mut State) -> T + Send,
    ) -> T {
        py.detach(|| action(&mut self.lock()))
    }

    /// The engine, once no other thread uses it; a fork waits until it is let go (see `fork`).
    /// Call it with the GIL released.
    fn lock(&self) -> InUse<'_> {
        let fork_held_off = fork::engine_in_use();
        InUse {
            // Nothing in the engine panics while it is changed; a poisoned lock still holds a
            // usable engine.
            state: self.state.lock().unwrap_or_else(PoisonError::into_inner),
            _fork_held_off: fork_held_off,
        }
    }

    fn settings(&self, py: Python<'_>) -> Settings {
        self.with_state(py, |state| *state.engine.settings())
    }

    fn set_envelope_with(&self, py: Python<'_>, change: impl FnOnce(&mut EnvelopeShape) + Send) {
        self.with_state(py, |state| {
            let mut shape = state.engine.settings().envelope;
            change(&mut shape);
            state.engine.set_envelope(shape);
        });
    }

    fn handle(&self, py: Python<'_>, input: NoteInput) {
        self.with_state(py, |state| state.engine.handle(input));
    }
}

#[pymethods]
impl Quintet {
    /// A Quintet at ``sample_rate`` Hz playing ``frequencies`` (Hz, 20 to 20000) at ``levels``
    /// and ``gain`` (linear, 0 to 1), every value in place at once and every phase at zero, so
    /// the first sample is 0 and sample ``n`` is ``gain * Σ level_k * sin(2π f_k n / rate) / 5``.
    ///
    /// ``midi=True`` makes it the instrument (silent until ``note_on``) with ``voices`` voices
    /// (1 to 16), the envelope ``attack_ms``, ``decay_ms``, ``sustain`` (0 to 1 of the
    /// velocity), ``release_ms`` (0 to 10000 ms each), ``bend_range`` (semitones, 0 to 96) and,
    /// with one voice, ``midi_glide_ms`` between notes (0 to 1000).
    #[new]
    // Literal defaults, so help() shows them (pyo3 shows a constant as `...`); the assertions
    // beside DEFAULT_VOICES hold them to the engine's.
    #[pyo3(signature = (
        sample_rate = 48000.0,
        frequencies = None,
        levels = None,
        gain = 1.0,
        *,
        midi = false,
        voices = 8,
        attack_ms = 5.0,
        decay_ms = 200.0,
        sustain = 1.0,
        release_ms = 20.0,
        bend_range = 2.0,
        midi_glide_ms = 0.0,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        #[pyo3(from_py_with = sample_rate_from)] sample_rate: f64,
        frequencies: Option<&Bound<'_, PyAny>>,
        levels: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = gain_from)] gain: f32,
        midi: bool,
        #[pyo3(from_py_with = voices_from)] voices: usize,
        #[pyo3(from_py_with = attack_ms_from)] attack_ms: f64,
        #[pyo3(from_py_with = decay_ms_from)] decay_ms: f64,
        #[pyo3(from_py_with = sustain_from)] sustain: f32,
        #[pyo3(from_py_with = release_ms_from)] release_ms: f64,
        #[pyo3(from_py_with = bend_range_from)] bend_range: f64,
        #[pyo3(from_py_with = midi_glide_ms_from)] midi_glide_ms: f64,
    ) -> PyResult<Self> {
        let settings = Settings {
            frequencies_hz: frequencies.map_or(Ok(DEFAULT_FREQUENCIES_HZ), frequencies_from)?,
            levels: levels.map_or(Ok([1.0; PARTIAL_COUNT]), levels_from)?,
            gain,
            midi,
            voices,
            midi_glide_ms,
            envelope: EnvelopeShape {
                attack_ms,
                decay_ms,
                sustain,
                release_ms,
            },
            bend_range_semitones: bend_range,
        };
        Ok(Self {
            state: Mutex::new(State {
                engine: Engine::new(sample_rate, settings),
                samples_rendered: 0,
            }),
            sample_rate_hz: sample_rate,
        })
    }

    /// The next ``n`` samples as a new float32 array, continuing where the last render ended.
    fn render<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = samples_from)] n: usize,
    ) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let samples = py.detach(|| {
            let mut out = zeros(n)?;
            self.lock().render(&mut out);
            Ok::<_, PyErr>(out)
        })?;
        // The array takes the vector's memory as it is: no copy.
        Ok(PyArray1::from_vec(py, samples))
    }

    /// Overwrites ``out`` (a writeable, 1-D, C-contiguous float32 numpy array) with the next
    /// ``len(out)`` samples, in place.
    fn render_into(&self, py: Python<'_>, out: &Bound<'_, PyAny>) -> PyResult<()> {
        let array = out.cast::<PyUntypedArray>().map_err(|_| {
            PyTypeError::new_err(format!(
                "out must be a numpy.ndarray of float32, got {}",
                type_name(out)
            ))
        })?;
        if !array.dtype().is_equiv_to(&numpy::dtype::<f32>(py)) {
            return Err(PyTypeError::new_err(format!(
                "out must have dtype float32 (native byte order), got {}",
                array.dtype()
            )));
        }
        if array.ndim() != 1 {
            return Err(PyValueError::new_err(format!(
                "out must be 1-D, got shape {}",
                python_tuple(array.shape())
            )));
        }
        if !array.is_c_contiguous() || !array.is_aligned() {
            return Err(PyValueError::new_err(
                "out must be contiguous and aligned (a strided view cannot be filled in place; \
                 use numpy.ascontiguousarray)",
            ));
        }
        let array = array.cast::<PyArray1<f32>>()?;
        let mut writeable = array
            .try_readwrite()
            .map_err(|e| PyValueError::new_err(format!("out cannot be written: {e}")))?;
        let samples = writeable.as_slice_mut()?;
        self.with_state(py, |state| state.render(samples));
        Ok(())
    }

    /// The sample rate, in Hz.
    #[getter]
    fn sample_rate(&self) -> f64 {
        self.sample_rate_hz
    }

    /// Samples rendered so far (the time of the next sample, in samples).
    #[getter]
    fn samples_rendered(&self, py: Python<'_>) -> u64 {
        self.with_state(py, |state| state.samples_rendered)
    }

    /// The five frequencies in Hz, where each partial is or is gliding to. Setting them glides
    /// each changed partial over 20 ms, evenly in pitch, as plugin automation does.
    #[getter]
    fn frequencies(&self, py: Python<'_>) -> Five {
        five_tuple(self.settings(py).frequencies_hz)
    }

    #[setter(frequencies)]
    fn frequencies_setter(&self, py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<()> {
        self.set_frequencies(py, values, true)
    }

    /// Sets the five frequencies (Hz, 20 to 20000): each changed partial glides over 20 ms,
    /// evenly in pitch, as plugin automation does, or with ``glide=False`` jumps (as a preset
    /// load does). The phases always continue.
    #[pyo3(signature = (values, glide = true))]
    fn set_frequencies(
        &self,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        glide: bool,
    ) -> PyResult<()> {
        let hz = frequencies_from(values)?;
        self.with_state(py, |state| state.engine.set_frequencies(hz, motions(glide)));
        Ok(())
    }

    /// The five frequencies the drone plays at the next sample, in Hz (during a glide, between
    /// where it started and ``frequencies``).
    #[getter]
    fn current_frequencies(&self, py: Python<'_>) -> Five {
        five_tuple(self.with_state(py, |state| {
            std::array::from_fn(|k| state.engine.drone_frequency_hz(k))
        }))
    }

    /// The five partial levels, linear from 0 (silent) to 1 (full), as the engine holds them
    /// (float32). Setting them ramps each over 10 ms.
    #[getter]
    fn levels(&self, py: Python<'_>) -> Five {
        five_tuple(self.settings(py).levels.map(f64::from))
    }

    #[setter(levels)]
    fn levels_setter(&self, py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<()> {
        self.set_levels(py, values, true)
    }

    /// Sets the five levels (linear, 0 to 1): a 10 ms ramp, or with ``ramp=False`` at once.
    #[pyo3(signature = (values, ramp = true))]
    fn set_levels(&self, py: Python<'_>, values: &Bound<'_, PyAny>, ramp: bool) -> PyResult<()> {
        let levels = levels_from(values)?;
        self.with_state(py, |state| state.engine.set_levels(levels, motions(ramp)));
        Ok(())
    }

    /// The output gain, linear from 0 to 1, as the engine holds it (float32). Setting it ramps
    /// over 10 ms.
    #[getter]
    fn gain(&self, py: Python<'_>) -> f64 {
        f64::from(self.settings(py).gain)
    }

    #[setter(gain)]
    fn gain_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = gain_from)] value: f32,
    ) -> PyResult<()> {
        self.set_gain(py, value, true)
    }

    /// Sets the output gain (linear, 0 to 1): a 10 ms ramp, or with ``ramp=False`` at once.
    #[pyo3(signature = (value, ramp = true))]
    fn set_gain(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = gain_from)] value: f32,
        ramp: bool,
    ) -> PyResult<()> {
        let motion = motions(ramp)[0];
        self.with_state(py, |state| state.engine.set_gain(value, motion));
        Ok(())
    }

    /// MIDI mode: notes play the partials (True) or the partials drone (False). Switching fades
    /// the drone out over 20 ms (or in over 5 ms) and releases any notes playing.
    #[getter]
    fn midi(&self, py: Python<'_>) -> bool {
        self.settings(py).midi
    }

    #[setter(midi)]
    fn midi_setter(&self, py: Python<'_>, midi: bool) {
        self.with_state(py, |state| state.engine.set_midi(midi));
    }

    /// How many notes play at once in MIDI mode, 1 to 16 (1 plays legato). Fewer voices than
    /// notes playing fade the oldest out.
    #[getter]
    fn voices(&self, py: Python<'_>) -> usize {
        self.settings(py).voices
    }

    #[setter(voices)]
    fn voices_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = voices_from)] voices: usize,
    ) -> PyResult<()> {
        self.with_state(py, |state| state.engine.set_voice_count(voices));
        Ok(())
    }

    /// The one-voice glide from note to note, in milliseconds (0 to 1000; 0 jumps).
    #[getter]
    fn midi_glide_ms(&self, py: Python<'_>) -> f64 {
        self.settings(py).midi_glide_ms
    }

    #[setter(midi_glide_ms)]
    fn midi_glide_ms_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = midi_glide_ms_from)] ms: f64,
    ) -> PyResult<()> {
        self.with_state(py, |state| state.engine.set_midi_glide_ms(ms));
        Ok(())
    }

    /// The envelope's attack, in milliseconds (0 to 10000; no segment is shorter than 2 ms).
    #[getter]
    fn attack_ms(&self, py: Python<'_>) -> f64 {
        self.settings(py).envelope.attack_ms
    }

    #[setter(attack_ms)]
    fn attack_ms_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = attack_ms_from)] ms: f64,
    ) -> PyResult<()> {
        self.set_envelope_with(py, |shape| shape.attack_ms = ms);
        Ok(())
    }

    /// The envelope's decay, in milliseconds (0 to 10000).
    #[getter]
    fn decay_ms(&self, py: Python<'_>) -> f64 {
        self.settings(py).envelope.decay_ms
    }

    #[setter(decay_ms)]
    fn decay_ms_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = decay_ms_from)] ms: f64,
    ) -> PyResult<()> {
        self.set_envelope_with(py, |shape| shape.decay_ms = ms);
        Ok(())
    }

    /// The envelope's sustain level, as a fraction of the velocity (0 to 1).
    #[getter]
    fn sustain(&self, py: Python<'_>) -> f64 {
        f64::from(self.settings(py).envelope.sustain)
    }

    #[setter(sustain)]
    fn sustain_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = sustain_from)] sustain: f32,
    ) -> PyResult<()> {
        self.set_envelope_with(py, |shape| shape.sustain = sustain);
        Ok(())
    }

    /// The envelope's release, in milliseconds (0 to 10000).
    #[getter]
    fn release_ms(&self, py: Python<'_>) -> f64 {
        self.settings(py).envelope.release_ms
    }

    #[setter(release_ms)]
    fn release_ms_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = release_ms_from)] ms: f64,
    ) -> PyResult<()> {
        self.set_envelope_with(py, |shape| shape.release_ms = ms);
        Ok(())
    }

    /// How far the pitch wheel bends, in semitones either way (0 to 96).
    #[getter]
    fn bend_range(&self, py: Python<'_>) -> f64 {
        self.settings(py).bend_range_semitones
    }

    #[setter(bend_range)]
    fn bend_range_setter(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = bend_range_from)] semitones: f64,
    ) -> PyResult<()> {
        self.with_state(py, |state| state.engine.set_bend_range(semitones));
        Ok(())
    }

    /// Presses MIDI key ``key`` (0 to 127, 69 = A4 = 440 Hz) on ``channel`` (0 to 15) at
    /// ``velocity`` (0 to 1), from the next sample on. Needs ``midi=True``.
    #[pyo3(signature = (key, velocity = 1.0, channel = 0))]
    fn note_on(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = key_from)] key: u8,
        #[pyo3(from_py_with = velocity_from)] velocity: f32,
        #[pyo3(from_py_with = channel_from)] channel: u8,
    ) -> PyResult<()> {
        let note = NoteRef::without_id(channel, key);
        self.with_state(py, |state| {
            if state.engine.settings().midi {
                state.engine.handle(NoteInput::NoteOn { note, velocity });
                Ok(())
            } else {
                Err(())
            }
        })
        .map_err(|()| {
            PyRuntimeError::new_err(
                "note_on: Quintet is playing its drone; set midi=True to play notes",
            )
        })
    }

    /// Lets go of MIDI key ``key`` on ``channel``: its note releases (or waits for the sustain
    /// pedal).
    #[pyo3(signature = (key, channel = 0))]
    fn note_off(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = key_from)] key: u8,
        #[pyo3(from_py_with = channel_from)] channel: u8,
    ) {
        let target = NoteMatch::key(channel, key);
        self.handle(py, NoteInput::NoteOff { target });
    }

    /// Moves ``channel``'s pitch wheel to ``bend``, from -1 (down by ``bend_range``) through
    /// 0 (at rest) to 1 (up). Channel 0 bends every note; channels 1 to 15 (MPE member
    /// channels) bend the notes played on them.
    #[pyo3(signature = (bend, channel = 0))]
    fn pitch_bend(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = bend_from)] bend: f32,
        #[pyo3(from_py_with = channel_from)] channel: u8,
    ) {
        self.handle(
            py,
            NoteInput::PitchBend {
                channel,
                position: bend,
            },
        );
    }

    /// MIDI control change ``controller`` (0 to 127) to ``value`` (0 to 1) on ``channel``: the
    /// sustain pedal (64), all sound off (120), reset all controllers (121) and all notes off
    /// (123) act; other controllers are ignored.
    #[pyo3(signature = (controller, value, channel = 0))]
    fn control_change(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = controller_from)] controller: u8,
        #[pyo3(from_py_with = controller_value_from)] value: f32,
        #[pyo3(from_py_with = channel_from)] channel: u8,
    ) {
        self.handle(
            py,
            NoteInput::ControlChange {
                channel,
                controller,
                value,
            },
        );
    }

    /// Releases every note, sustained ones too (a host's panic button).
    fn all_notes_off(&self, py: Python<'_>) {
        self.handle(
            py,
            NoteInput::ControlChange {
                channel: 0,
                controller: ALL_NOTES_OFF_CC,
                value: 1.0,
            },
        );
    }

    /// The notes sounding now (held, sustained or releasing), as ``(channel, key)`` pairs.
    #[getter]
    fn sounding_notes(&self, py: Python<'_>) -> Vec<(u8, u8)> {
        self.with_state(py, |state| {
            state
                .engine
                .sounding()
                .map(|(note, _)| (note.channel, note.key))
                .collect()
        })
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let settings = self.settings(py);
        format!(
            "Quintet(sample_rate={:?}, frequencies={}, levels={}, gain={:?}, midi={}, voices={})",
            self.sample_rate_hz,
            python_tuple(&settings.frequencies_hz),
            python_tuple(&settings.levels.map(f64::from)),
            f64::from(settings.gain),
            if settings.midi { "True" } else { "False" },
            settings.voices
        )
    }
}

/// ``seconds`` of Quintet's drone as a float32 array: ``round(seconds * sample_rate)`` samples
/// of the five partials at ``frequencies`` (Hz), ``levels`` and ``gain`` (linear), every phase
/// starting at zero. The same samples as ``quintet render`` writes with these settings.
#[pyfunction]
#[pyo3(signature = (seconds, sample_rate = 48000.0, frequencies = None, levels = None, gain = 1.0))]
fn render<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = seconds_from)] seconds: f64,
    #[pyo3(from_py_with = sample_rate_from)] sample_rate: f64,
    frequencies: Option<&Bound<'py, PyAny>>,
    levels: Option<&Bound<'py, PyAny>>,
    #[pyo3(from_py_with = gain_from)] gain: f32,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let quintet = Quintet::new(
        sample_rate,
        frequencies,
        levels,
        gain,
        false,
        DEFAULT_VOICES,
        ATTACK_MS,
        DECAY_MS,
        1.0,
        RELEASE_MS,
        DEFAULT_BEND_RANGE_SEMITONES,
        0.0,
    )?;
    // As `quintet render` counts them.
    let samples = (seconds * quintet.sample_rate_hz).round() as usize;
    quintet.render(py, samples)
}

/// Quintet's engine for Python: five phase-continuous sine partials, exact and drift-free, the
/// samples the Quintet plugin plays. See ``Quintet`` and ``render``.
#[pymodule]
fn quintet(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Quintet>()?;
    fork::register(module)?;
    module.add_function(wrap_pyfunction!(render, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // pyo3 lists every name added in `__all__`, which maturin's package re-exports.
    module.add("PARTIAL_COUNT", PARTIAL_COUNT)?;
    module.add("PARTIAL_AMPLITUDE", f64::from(PARTIAL_AMPLITUDE))?;
    module.add("DEFAULT_FREQUENCIES", five_tuple(DEFAULT_FREQUENCIES_HZ))?;
    module.add("MIN_FREQUENCY", FREQUENCY_RANGE_HZ.0)?;
    module.add("MAX_FREQUENCY", FREQUENCY_RANGE_HZ.1)?;
    module.add("MIN_SAMPLE_RATE", SAMPLE_RATE_RANGE_HZ.0)?;
    module.add("MAX_SAMPLE_RATE", SAMPLE_RATE_RANGE_HZ.1)?;
    module.add("MAX_VOICES", MAX_VOICES)?;
    module.add("GLIDE_MS", GLIDE_MS)?;
    module.add("LEVEL_RAMP_MS", LEVEL_RAMP_MS)?;
    module.add("GAIN_RAMP_MS", GAIN_RAMP_MS)?;
    Ok(())
}
