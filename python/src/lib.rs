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
mod parameters;
mod settings;
mod stub;

use numbers::{Real, checked, checked_int};
use numpy::{PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyMemoryError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use quintet_core::dsp::bank::GAIN_RAMP_MS;
use quintet_core::dsp::{GLIDE_MS, LEVEL_RAMP_MS, PARTIAL_AMPLITUDE, PARTIAL_COUNT};
use quintet_core::engine::{
    ALL_NOTES_OFF_CC, Engine, Expression, Motion, NoteInput, NoteMatch, NoteRef, Settings,
};
use quintet_core::limits::{
    DEFAULT_FREQUENCIES_HZ, DEFAULT_RENDER_SAMPLE_RATE_HZ, MAX_FREQUENCY_HZ, MAX_RENDER_SECONDS,
    MAX_VOICES, MIN_FREQUENCY_HZ, SAMPLE_RATE_RANGE_HZ,
};
use quintet_core::params::{Param, Values};
use quintet_core::tuning::Tuning;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLockReadGuard};

/// The sample rate a `Quintet` and `render` play at unless told, in Hz.
const DEFAULT_SAMPLE_RATE_HZ: f64 = DEFAULT_RENDER_SAMPLE_RATE_HZ;
/// MIDI keys, channels and controllers are numbered from 0 to these.
const MAX_KEY: i64 = 127;
const MAX_CHANNEL: i64 = 15;
const MAX_CONTROLLER: i64 = 127;

/// Values from 0 to 1 (velocity, controller values).
const UNIT_RANGE: (f64, f64) = (0.0, 1.0);

/// Five numbers, one per partial, each a value its parameter (of `params`, a family offered as
/// `name`) can hold.
pub(crate) fn five(
    name: &str,
    params: [Param; PARTIAL_COUNT],
    values: &Bound<'_, PyAny>,
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
        let spec = params[k].spec();
        let name = format!("{name}[{k}]");
        *checked_value = checked(&name, value, spec.bounds(), spec.plain_unit())?;
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
    five("frequencies", Param::FREQUENCIES, values)
}

fn levels_from(values: &Bound<'_, PyAny>) -> PyResult<[f32; PARTIAL_COUNT]> {
    Ok(five("levels", Param::LEVELS, values)?.map(|level| level as f32))
}

// One parse function per numeric argument: Python's value in, the engine's out, refused with a
// `ValueError` naming the argument when out of range (however large the int: see `numbers`).
// Each is the argument's `from_py_with`, so the methods receive only checked values.

fn sample_rate_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("sample_rate", value.extract()?, SAMPLE_RATE_RANGE_HZ, " Hz")
}

fn seconds_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("seconds", value.extract()?, (0.0, MAX_RENDER_SECONDS), " s")
}

/// A count of samples: not negative.
fn samples_from(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    Ok(checked_int("n", value.extract()?, 0, i64::MAX)? as usize)
}

/// Output channels: 1 (the mono sum) or 2 (left and right).
fn channels_from(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    Ok(checked_int("channels", value.extract()?, 1, 2)? as usize)
}

fn gain_from(value: &Bound<'_, PyAny>) -> PyResult<f32> {
    Ok(parameters::value_from(Param::GAIN, "gain", value)? as f32)
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
fn tempo_from(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    checked("bpm", value.extract()?, (1.0, 999.0), " BPM")
}

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

/// Every parameter at its default but the drone's values given: the frequencies and levels
/// (checked here) and the gain (checked by the caller).
fn drone_values(
    frequencies: Option<&Bound<'_, PyAny>>,
    levels: Option<&Bound<'_, PyAny>>,
    gain: Option<f32>,
) -> PyResult<Values> {
    let mut values = Values::default();
    if let Some(frequencies) = frequencies {
        set_all(
            &mut values,
            Param::FREQUENCIES,
            frequencies_from(frequencies)?,
        );
    }
    if let Some(levels) = levels {
        set_all(
            &mut values,
            Param::LEVELS,
            five("levels", Param::LEVELS, levels)?,
        );
    }
    if let Some(gain) = gain {
        set_all(&mut values, [Param::GAIN], [f64::from(gain)]);
    }
    Ok(values)
}

/// Sets each of `params` to its value: one the parameter holds (checked by the caller).
pub(crate) fn set_all<const N: usize>(values: &mut Values, params: [Param; N], plain: [f64; N]) {
    for (param, value) in params.into_iter().zip(plain) {
        values
            .set(param, value)
            .expect("checked when taken from Python");
    }
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
pub(crate) type Five = (f64, f64, f64, f64, f64);

pub(crate) fn five_tuple([a, b, c, d, e]: [f64; PARTIAL_COUNT]) -> Five {
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
    /// The tuning the notes play in (its table is the engine's).
    tuning: Tuning,
}

impl State {
    fn render(&mut self, out: &mut [f32]) {
        self.engine.render(out);
        // No host here keeps per-voice modulators to free; draining the reports keeps the
        // engine's report slots free, as `quintet render` does.
        self.engine.take_ended(|_| {});
        self.samples_rendered += out.len() as u64;
    }

    /// `out` (interleaved left, right: `2 × frames` samples) with the next frames of both
    /// channels.
    fn render_stereo(&mut self, out: &mut [f32]) {
        let frames = out.len() / 2;
        let mut right = vec![0.0f32; frames.min(STEREO_CHUNK_FRAMES)];
        let mut left = right.clone();
        for chunk in out.chunks_mut(2 * STEREO_CHUNK_FRAMES) {
            let frames = chunk.len() / 2;
            let (left, right) = (&mut left[..frames], &mut right[..frames]);
            self.engine.render_stereo(left, right);
            self.engine.take_ended(|_| {});
            for (frame, (&l, &r)) in chunk.chunks_exact_mut(2).zip(left.iter().zip(right.iter())) {
                frame[0] = l;
                frame[1] = r;
            }
            self.samples_rendered += frames as u64;
        }
    }
}

/// Frames [`State::render_stereo`] renders per pass before interleaving them.
const STEREO_CHUNK_FRAMES: usize = 4096;

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
/// linear (0 = silent, 1 = full; each partial plays at a fifth of the voice level at level 1
/// and gain 1: one note or the drone peaks at no more than 0.5, −6 dB; the gain goes to +12 dB).
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

    /// A Quintet at `sample_rate_hz` playing `values`, every one in place and every phase at 0.
    fn with_values(sample_rate_hz: f64, values: &Values) -> Self {
        Self {
            state: Mutex::new(State {
                engine: Engine::new(sample_rate_hz, values.settings()),
                samples_rendered: 0,
                tuning: Tuning::default(),
            }),
            sample_rate_hz,
        }
    }

    fn settings(&self, py: Python<'_>) -> Settings {
        self.with_state(py, |state| *state.engine.settings())
    }

    fn handle(&self, py: Python<'_>, input: NoteInput) {
        self.with_state(py, |state| state.engine.handle(input));
    }
}

#[pymethods]
impl Quintet {
    /// A Quintet at ``sample_rate`` Hz playing ``frequencies`` (Hz, 20 to 20000) at ``levels``
    /// and ``gain`` (linear, 0 to 3.98, i.e. +12 dB), every value in place at once and every
    /// phase at zero, so the first sample is 0 and sample ``n`` is
    /// ``gain * PARTIAL_AMPLITUDE * Σ level_k * sin(2π f_k n / rate)`` (``PARTIAL_AMPLITUDE``
    /// is 0.1: a fifth of the 0.5 every voice and the drone play at).
    ///
    /// The keyword-only settings are the plugin's other parameters, each a property too (see
    /// them, their ranges and defaults, in ``quintet.PARAMETERS``): ``midi=True`` makes it the
    /// instrument (silent until ``note_on``) with ``voices`` voices, the envelope
    /// ``attack_ms``, ``decay_ms``, ``sustain`` (of the velocity) and ``release_ms``, each
    /// partial's envelope relative to it (``partial_attack``, ``partial_decay`` (which scales
    /// the release too), ``partial_sustain``: five values each), the touch
    /// (``partial_velocity``, five values, and ``key_tilt_db``), the pitch wheel's
    /// ``bend_range`` (whole semitones) and, with one voice, ``midi_glide_ms`` between notes.
    #[new]
    // The settings are taken by name from the parameter registry; `settings::register` gives
    // the class a `__signature__` that lists them with their defaults, for help().
    #[pyo3(signature = (
        sample_rate = DEFAULT_SAMPLE_RATE_HZ,
        frequencies = None,
        levels = None,
        gain = None,
        **settings,
    ))]
    fn new(
        #[pyo3(from_py_with = sample_rate_from)] sample_rate: f64,
        frequencies: Option<&Bound<'_, PyAny>>,
        levels: Option<&Bound<'_, PyAny>>,
        gain: Option<&Bound<'_, PyAny>>,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let gain = gain.map(gain_from).transpose()?;
        let mut values = drone_values(frequencies, levels, gain)?;
        for (key, value) in settings.into_iter().flatten() {
            let key: String = key.extract()?;
            if let Some(params) = parameters::family_by_key(&key) {
                set_all(&mut values, params, five(&key, params, &value)?);
                continue;
            }
            let param = parameters::by_key(&key).ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "Quintet() got an unexpected keyword argument '{key}'"
                ))
            })?;
            let plain = parameters::value_from(param, &key, &value)?;
            set_all(&mut values, [param], [plain]);
        }
        Ok(Self::with_values(sample_rate, &values))
    }

    /// The next ``n`` samples as a new float32 array, continuing where the last render ended:
    /// with ``channels=1`` (the default) of shape ``(n,)``, the mono sum (L + R)/2 (the
    /// plugin's mono layout); with ``channels=2`` of shape ``(n, 2)``, left and right (its
    /// stereo layout: each partial at its pan, unison copies spread).
    #[pyo3(signature = (n, channels = 1))]
    fn render<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = samples_from)] n: usize,
        #[pyo3(from_py_with = channels_from)] channels: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let samples = py.detach(|| {
            let mut out = zeros(n.checked_mul(channels).ok_or_else(|| {
                PyValueError::new_err(format!("{n} frames of {channels} channels do not fit"))
            })?)?;
            if channels == 2 {
                self.lock().render_stereo(&mut out);
            } else {
                self.lock().render(&mut out);
            }
            Ok::<_, PyErr>(out)
        })?;
        // The array takes the vector's memory as it is: no copy.
        let array = PyArray1::from_vec(py, samples);
        if channels == 2 {
            Ok(array.reshape([n, 2])?.into_any())
        } else {
            Ok(array.into_any())
        }
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

    /// The output gain, linear from 0 to 3.98 (+12 dB), as the engine holds it (float32).
    /// Setting it ramps over 10 ms.
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

    /// Sets the output gain (linear, 0 to 3.98, +12 dB): a 10 ms ramp, or with ``ramp=False`` at once.
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
    /// 0 (at rest) to 1 (up). It bends the notes played on ``channel``; with ``mpe=True``
    /// channel 0 is MPE's master channel and bends every note.
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
    /// mod wheel (1, bringing in ``wheel_vibrato_cents`` of vibrato), MPE's timbre (74, tilting
    /// the partials by ``timbre_brightness_db``), the sustain pedal (64), all sound off (120),
    /// reset all controllers (121) and all notes off (123) act; other controllers are ignored.
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

    /// Pressure ``value`` (0 to 1) on ``channel``: channel pressure, or with ``key`` the
    /// polyphonic aftertouch of that key's note. It moves the notes' level by
    /// ``pressure_level_db`` and their brightness by ``pressure_brightness_db`` at full
    /// pressure, as a MIDI file's pressure does in ``quintet render --midi``.
    #[pyo3(signature = (value, key = None, channel = 0))]
    fn pressure(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = controller_value_from)] value: f32,
        key: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = channel_from)] channel: u8,
    ) -> PyResult<()> {
        let input = match key.map(key_from).transpose()? {
            Some(key) => NoteInput::Expression {
                target: NoteMatch::key(channel, key),
                kind: Expression::Pressure,
                value,
            },
            None => NoteInput::ChannelPressure {
                channel,
                pressure: value,
            },
        };
        self.handle(py, input);
        Ok(())
    }

    /// The tempo a synced LFO (``lfo_sync``) follows, in beats per minute (1 to 999; 120 until
    /// set, as a plugin whose host gives none); from the next knot on.
    fn set_tempo(&self, py: Python<'_>, #[pyo3(from_py_with = tempo_from)] bpm: f64) {
        self.with_state(py, |state| state.engine.set_tempo(bpm));
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

    /// Plays MIDI notes in a Scala tuning: ``scale`` is the text of a ``.scl`` file, ``kbm``
    /// that of a ``.kbm`` keyboard map (without one, degree 0 sits on middle C at its 12-TET
    /// pitch), ``name`` what ``tuning`` shows; ``scale=None`` goes back to 12-TET. Every note
    /// plays its scale frequency exactly (computed in f64); keys the map marks ``x`` stay
    /// silent; notes sounding glide to their new pitch without a click. Read the files
    /// yourself (``open(path).read()``). A malformed file raises ValueError naming the file,
    /// the line and the reason, and changes nothing.
    #[pyo3(signature = (scale, kbm = None, name = ""))]
    fn set_tuning(
        &self,
        py: Python<'_>,
        scale: Option<&str>,
        kbm: Option<&str>,
        name: &str,
    ) -> PyResult<()> {
        let tuning = match scale {
            None => Tuning::default(),
            Some(scale) => Tuning::from_files(name, scale.as_bytes(), kbm.map(str::as_bytes))
                .map_err(|error| PyValueError::new_err(error.to_string()))?,
        };
        self.with_state(py, |state| {
            state.engine.set_key_table(tuning.table());
            state.tuning = tuning;
        });
        Ok(())
    }

    /// The tuning the notes play in, as ``(name, description)``: ``("12-TET", ...)`` by
    /// default.
    #[getter]
    fn tuning(&self, py: Python<'_>) -> (String, String) {
        self.with_state(py, |state| {
            (
                state.tuning.name().to_owned(),
                state.tuning.description().to_owned(),
            )
        })
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

    /// Plays live, as the first Quintet notebook did, and returns the player (started). In
    /// Jupyter it is ``quintet.live``'s widget streaming to the page (a cell's last expression
    /// shows it); elsewhere it plays through the sound card (``sounddevice``, the ``sound``
    /// extra). ``options`` go to the new player; if this Quintet has one already (an engine
    /// streams to one player), that one.
    #[pyo3(signature = (**options))]
    fn play<'py>(
        slf: &Bound<'py, Self>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // The players are Python (python/pysrc/quintet/_play.py): the page's or the sound card's.
        slf.py()
            .import("quintet._play")?
            .getattr("play")?
            .call((slf,), options)
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

// Literal defaults, so help() shows them (pyo3 shows a constant as `...`); tests/test_stub.py
// holds them to the generated stub's, which are DEFAULT_SAMPLE_RATE_HZ and the registry's.
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
    let values = drone_values(frequencies, levels, Some(gain))?;
    let quintet = Quintet::with_values(sample_rate, &values);
    // As `quintet render` counts them.
    let samples = (seconds * quintet.sample_rate_hz).round() as usize;
    Ok(quintet.render(py, samples, 1)?.cast_into()?)
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
    module.add("MIN_FREQUENCY", f64::from(MIN_FREQUENCY_HZ))?;
    module.add("MAX_FREQUENCY", f64::from(MAX_FREQUENCY_HZ))?;
    module.add("MIN_SAMPLE_RATE", SAMPLE_RATE_RANGE_HZ.0)?;
    module.add("MAX_SAMPLE_RATE", SAMPLE_RATE_RANGE_HZ.1)?;
    module.add("MAX_VOICES", MAX_VOICES)?;
    module.add("GLIDE_MS", GLIDE_MS)?;
    module.add("LEVEL_RAMP_MS", LEVEL_RAMP_MS)?;
    module.add("GAIN_RAMP_MS", GAIN_RAMP_MS)?;
    module.add_class::<parameters::Parameter>()?;
    module.add("PARAMETERS", parameters::all(module.py())?)?;
    settings::register(&module.py().get_type::<Quintet>())?;
    // The type stub's text, made from the registry (tests/test_stub.py); not part of the API.
    module.setattr("_stub_text", wrap_pyfunction!(stub::stub_text, module)?)?;
    Ok(())
}
