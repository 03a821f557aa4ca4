//! Many voices' knots at once (the chirp lanes' members at a knot): [`Movement::voice_knot`]'s
//! arithmetic for sixteen voices to a pass, compiled for the kernel's instruction set.
//!
//! One voice at a time, a knot waits on its own chains of dependent steps (the LFO's sine,
//! `exp2`'s polynomial) and branches on the LFO's quarter turn. Here sixteen voices' inputs are
//! gathered an array per quantity, and one pass without branches works their values out
//! together: eight voices to a vector under AVX-512F, four to a vector under AVX2. Each
//! voice's arithmetic is [`Movement::voice_knot`]'s, step for step and through the same
//! functions ([`Movement::knot_parts`], [`sin_turns`], `exp2`), so the bits are the same.
//! Besides, three common cases are cheap:
//!
//! - a voice past its delay and fade-in (every held note after its first moments) acts in full
//!   without the fade's divisions ([`Movement::faded_in_from`], worked out once per setting);
//! - with no pressure on its level and no brightness tilt (no `powf`) a voice's knot comes
//!   from the pass; otherwise [`Movement::voice_knot`] works it out alone;
//! - the sine, the usual shape, is in the pass; other shapes are read as the voices gather.

use super::{Controls, Depths, KnotParts, Movement, VoiceLfo};
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::knot::Knot;
use crate::dsp::lfo::{Shape, sin_turns};
use crate::dsp::sine::Kernel;
#[cfg(target_arch = "x86_64")]
use crate::dsp::sine::{Avx2Token, Avx512Token};

/// Voices to a pass (the engine's 16 notes): two AVX-512 vectors of `f64`, four AVX2 ones,
/// whose chains of dependent steps (the sine's Horner steps, `exp2`'s polynomial, a
/// division) the processor overlaps.
const LANES: usize = 16;

/// A pass's voices' inputs, an array per quantity (so that the pass vectorises).
#[derive(Clone, Copy)]
struct Inputs {
    /// The LFO's phase (2^-64 turn), for the sine.
    phase: [u64; LANES],
    /// The LFO's value (−1 ..= 1), for other shapes.
    value: [f64; LANES],
    /// How much of the LFO acts, 0 ..= 1.
    fade: [f64; LANES],
    /// The voice's [`Controls`], field by field.
    vibrato_cents: [f64; LANES],
    tremolo: [f64; LANES],
    brightness_db: [f64; LANES],
    wheel: [f64; LANES],
    pressure: [f64; LANES],
    timbre: [f64; LANES],
    expression: [f64; LANES],
}

impl Inputs {
    /// Voices at rest (the lanes no voice takes in a pass hold this or an earlier voice's
    /// inputs: numbers, whose results are never read).
    const AT_REST: Inputs = Inputs {
        phase: [0; LANES],
        value: [0.0; LANES],
        fade: [0.0; LANES],
        vibrato_cents: [0.0; LANES],
        tremolo: [0.0; LANES],
        brightness_db: [0.0; LANES],
        wheel: [0.0; LANES],
        pressure: [0.0; LANES],
        timbre: [0.0; LANES],
        expression: [1.0; LANES],
    };

    fn set_controls(&mut self, lane: usize, controls: &Controls) {
        self.vibrato_cents[lane] = controls.depths.vibrato_cents;
        self.tremolo[lane] = controls.depths.tremolo;
        self.brightness_db[lane] = controls.depths.brightness_db;
        self.wheel[lane] = controls.wheel;
        self.pressure[lane] = controls.pressure;
        self.timbre[lane] = controls.timbre;
        self.expression[lane] = controls.expression;
    }

    #[inline(always)]
    fn controls(&self, lane: usize) -> Controls {
        Controls {
            depths: Depths {
                vibrato_cents: self.vibrato_cents[lane],
                tremolo: self.tremolo[lane],
                brightness_db: self.brightness_db[lane],
            },
            wheel: self.wheel[lane],
            pressure: self.pressure[lane],
            timbre: self.timbre[lane],
            expression: self.expression[lane],
        }
    }
}

/// A pass's results.
#[derive(Clone, Copy)]
struct Outputs {
    /// The pitch ratio.
    pitch_ratio: [f64; LANES],
    /// Every partial's level factor, where `plain`.
    level: [f32; LANES],
    /// Whether the voice moves at all (else its knot is neutral).
    moving: [bool; LANES],
    /// Whether its knot is `pitch_ratio` and `level` for every partial: no pressure on the
    /// level and no brightness tilt.
    plain: [bool; LANES],
}

impl Outputs {
    const NONE: Outputs = Outputs {
        pitch_ratio: [1.0; LANES],
        level: [1.0; LANES],
        moving: [false; LANES],
        plain: [true; LANES],
    };
}

/// Room for [`Movement::voice_knots`]' passes (the voices' inputs and results, an array per
/// quantity), kept by the caller: made afresh at every call, its kilobyte and a half was
/// filled before the voices filled it again (a `memcpy` that took a sixth as long as the
/// knots themselves).
#[derive(Clone, Copy)]
pub struct KnotScratch {
    inputs: Inputs,
    outputs: Outputs,
}

impl Default for KnotScratch {
    fn default() -> Self {
        Self {
            inputs: Inputs::AT_REST,
            outputs: Outputs::NONE,
        }
    }
}

impl std::fmt::Debug for KnotScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnotScratch").finish_non_exhaustive()
    }
}

/// See [`Movement::voice_knots`] (`out.len()` at most [`super::KNOTS_AT_ONCE`]).
pub(super) fn voice_knots<'a>(
    movement: &Movement,
    kernel: Kernel,
    knot: u64,
    scratch: &mut KnotScratch,
    out: &mut [Knot],
    voice: impl Fn(usize) -> (&'a VoiceLfo, &'a Controls),
) {
    let shape = movement.settings.shape;
    let KnotScratch { inputs, outputs } = scratch;
    for (chunk, out) in out.chunks_mut(LANES).enumerate() {
        let first = chunk * LANES;
        for lane in 0..out.len() {
            let (lfo, controls) = voice(first + lane);
            let clock = movement.lfo_clock(lfo);
            match shape {
                Shape::Sine => inputs.phase[lane] = clock.phase_at(knot),
                _ => inputs.value[lane] = shape.value(clock.turns_at(knot), lfo.seed),
            }
            inputs.fade[lane] = faded(movement, lfo, knot);
            inputs.set_controls(lane, controls);
        }
        match shape {
            Shape::Sine => pass::<true>(kernel, movement, inputs, outputs),
            _ => pass::<false>(kernel, movement, inputs, outputs),
        }
        for (lane, out) in out.iter_mut().enumerate() {
            *out = if !outputs.moving[lane] {
                Knot::NEUTRAL
            } else if outputs.plain[lane] {
                Knot {
                    pitch_ratio: outputs.pitch_ratio[lane],
                    levels: [outputs.level[lane]; PARTIAL_COUNT],
                }
            } else {
                let (lfo, controls) = voice(first + lane);
                movement.voice_knot(lfo, knot, controls)
            };
        }
    }
}

/// How much of a voice's LFO acts at knot `knot` ([`Movement::fade_in`]): 1 without a
/// division once the voice is past its delay and fade-in.
#[inline(always)]
fn faded(movement: &Movement, lfo: &VoiceLfo, knot: u64) -> f64 {
    let since = movement.since_note_on(lfo, knot);
    match movement.faded_in_from {
        Some(from) if since >= from => 1.0,
        _ => movement.fade_in(since),
    }
}

/// The pass over [`LANES`] voices, compiled for `kernel`'s instruction set (the same arithmetic,
/// so the same bits, whichever: only the instructions differ). `SINE`: the LFO's values are
/// the sine of `inputs.phase` (else `inputs.value`).
fn pass<const SINE: bool>(
    kernel: Kernel,
    movement: &Movement,
    inputs: &Inputs,
    outputs: &mut Outputs,
) {
    match kernel {
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx2(token) => pass_avx2::<SINE>(token, movement, inputs, outputs),
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx512(token) => pass_avx512::<SINE>(token, movement, inputs, outputs),
        _ => knots::<SINE>(movement, inputs, outputs),
    }
}

/// Defines `$name::<SINE>(token, …)`: [`knots`] compiled for the instruction set `$feature`,
/// which `token` proves the CPU has.
macro_rules! compiled_for {
    ($(#[$doc:meta])* fn $name:ident($token:ty, $feature:literal)) => {
        $(#[$doc])*
        #[cfg(target_arch = "x86_64")]
        fn $name<const SINE: bool>(
            _token: $token,
            movement: &Movement,
            inputs: &Inputs,
            outputs: &mut Outputs,
        ) {
            /// # Safety
            ///
            /// The CPU must support `$feature`.
            #[target_feature(enable = $feature)]
            unsafe fn enabled<const SINE: bool>(m: &Movement, i: &Inputs, o: &mut Outputs) {
                knots::<SINE>(m, i, o);
            }
            // SAFETY: `enabled` needs a CPU with `$feature`; the token exists only once
            // run-time detection has found it.
            unsafe { enabled::<SINE>(movement, inputs, outputs) }
        }
    };
}

compiled_for! {
    /// [`knots`] compiled for AVX2 (four voices to a vector).
    fn pass_avx2(Avx2Token, "avx2")
}
compiled_for! {
    /// [`knots`] compiled for AVX-512F (eight voices to a vector).
    fn pass_avx512(Avx512Token, "avx512f")
}

/// The pass itself: every lane's [`KnotParts`] and what its knot needs, without a branch.
#[inline(always)]
fn knots<const SINE: bool>(movement: &Movement, inputs: &Inputs, outputs: &mut Outputs) {
    for lane in 0..LANES {
        let controls = inputs.controls(lane);
        let value = if SINE {
            sin_turns(inputs.phase[lane])
        } else {
            inputs.value[lane]
        };
        let parts: KnotParts = movement.knot_parts(value, inputs.fade[lane], &controls);
        outputs.pitch_ratio[lane] = parts.pitch_ratio();
        // `Movement::knot`'s level times a gain of exactly 1 (no pressure in dB).
        outputs.level[lane] = parts.level as f32;
        outputs.moving[lane] = movement.moves(&controls);
        outputs.plain[lane] = parts.pressure_db == 0.0 && parts.tilt_db == 0.0;
    }
}
