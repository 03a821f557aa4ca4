//! One sounding note: its own bank of five partials, each partial's envelope, and what the note
//! was told (key, expressions, polyphonic modulation).
//!
//! While the five envelopes are equal (the default: every partial follows the note's envelope)
//! they move alike, and the voice renders as a note with one envelope did: the bank's sum times
//! that envelope. Once they differ each partial is rendered on its own and multiplied by its
//! envelope before the sum (see [`crate::dsp::partial_envelopes`]).
//!
//! A note in unison plays several copies, each its own bank (see [`super::unison`]), all under
//! the note's envelopes.

use super::Settings;
use super::channels::Channels;
use super::input::NoteRef;
use super::movement::{Controls, Depths, Movement, NoteExpressions, VoiceLfo};
use super::unison::{MAX_UNISON, Unison, copy_pan};
use crate::dsp::envelope::{Envelope, EnvelopeShape};
use crate::dsp::knot::{Knot, Moving};
use crate::dsp::lfo::KNOT_SAMPLES;
use crate::dsp::partial_envelopes::{PartialShapes, Touch};
use crate::dsp::phase::frequency_for;
use crate::dsp::steady::SteadyPartial;
use crate::dsp::steady::chirp::moved::MovedLanes;
use crate::dsp::steady::ramped::AmplitudeRamp;
use crate::dsp::{PARTIAL_COUNT, PartialBank};

/// How a value reaches its new setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// Smoothly: frequencies glide over [`GLIDE_MS`](crate::dsp::GLIDE_MS), levels and gain
    /// ramp (automation, a slider, a mute switching; the plugin ramps levels and gain on a
    /// state or preset load too, where a jump would click).
    Smooth,
    /// At once, phases running on: the partials' frequencies on a state or preset load (the
    /// waveform does not step), anything the Python module sets with `glide`/`ramp` off.
    Jump,
}

/// A value a host can modulate per voice (CLAP polyphonic modulation): each is one parameter
/// (declared `modulated` in the registry), and a voice's modulated value is used wherever the
/// setting is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modulated {
    /// Partial `0 ..= 4`'s level.
    Level(usize),
    /// The output gain.
    Gain,
    /// The LFO's vibrato depth, in cents (read at the voice's next knot).
    Vibrato,
    /// The LFO's tremolo depth, 0 ..= 1 (read at the voice's next knot).
    Tremolo,
    /// The LFO's brightness depth, in dB for partial 5 (read at the voice's next knot).
    LfoBrightness,
    /// Partial `0 ..= 4`'s pan, −1 ..= 1.
    Pan(usize),
    /// How far the outermost unison copies are detuned, in cents.
    UnisonDetune,
    /// How far the outermost unison copies are panned, 0 ..= 1.
    UnisonWidth,
}

impl Modulated {
    /// Every modulated value, in the order of [`index`](Self::index).
    pub const ALL: [Modulated; MODULATED_COUNT] = [
        Modulated::Level(0),
        Modulated::Level(1),
        Modulated::Level(2),
        Modulated::Level(3),
        Modulated::Level(4),
        Modulated::Gain,
        Modulated::Vibrato,
        Modulated::Tremolo,
        Modulated::LfoBrightness,
        Modulated::Pan(0),
        Modulated::Pan(1),
        Modulated::Pan(2),
        Modulated::Pan(3),
        Modulated::Pan(4),
        Modulated::UnisonDetune,
        Modulated::UnisonWidth,
    ];

    /// 0 ..= 4 for the levels, 5 for the gain, 6 ..= 8 for the LFO's depths, 9 ..= 13 for the
    /// pans, 14 and 15 for the unison's detune and width (the order of [`Self::ALL`]; the
    /// first six are those of the first release with polyphonic modulation).
    pub fn index(self) -> usize {
        let partial = |k: usize| k.min(PARTIAL_COUNT - 1);
        match self {
            Modulated::Level(k) => partial(k),
            Modulated::Gain => PARTIAL_COUNT,
            Modulated::Vibrato => PARTIAL_COUNT + 1,
            Modulated::Tremolo => PARTIAL_COUNT + 2,
            Modulated::LfoBrightness => PARTIAL_COUNT + 3,
            Modulated::Pan(k) => PARTIAL_COUNT + 4 + partial(k),
            Modulated::UnisonDetune => 2 * PARTIAL_COUNT + 4,
            Modulated::UnisonWidth => 2 * PARTIAL_COUNT + 5,
        }
    }
}

/// Number of values a voice can be modulated on: the five levels, the gain, the LFO's three
/// depths, the five pans, the unison's detune and width.
pub const MODULATED_COUNT: usize = 2 * PARTIAL_COUNT + 6;

/// A voice's modulation of one value: the host's offset (kept for the glue, which turns offset
/// and parameter into a value) and the resulting value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Modulation {
    pub offset: f32,
    pub value: f32,
}

/// What a voice slot is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoiceState {
    /// Silent and available.
    Free,
    /// Its key is down.
    Held,
    /// Its key is up but the sustain pedal holds it.
    Sustained,
    /// Its key is up: in its release.
    Released,
    /// Fading out fast to make room (stolen, choked, all sound off); it no longer counts as
    /// playing.
    Stolen,
}

/// One voice slot (see the module documentation).
#[derive(Clone, Debug)]
pub struct Voice {
    /// Each copy's bank (unison): the first `unison.copies` play.
    banks: [PartialBank; MAX_UNISON],
    /// How many copies play and how they spread, from the note's start (the count) or the
    /// last change (detune and width).
    unison: Unison,
    /// Each partial's envelope; the voice is free once all five are idle.
    envelopes: [Envelope; PARTIAL_COUNT],
    pub note: NoteRef,
    pub state: VoiceState,
    /// When the note started, counted in notes: the lowest is the oldest.
    pub age: u64,
    /// The tuning expression, in semitones.
    pub tuning_semitones: f64,
    /// The volume expression (linear, 1 = unchanged).
    volume: f32,
    /// The pan expression, added to each partial's pan (−1 … +1, 0 = unchanged).
    pan_expression: f32,
    modulation: [Option<Modulation>; MODULATED_COUNT],
    /// Its LFO (see [`super::movement`]).
    lfo: VoiceLfo,
    /// Its own expressions (pressure, vibrato, brightness, expression).
    pub expressions: NoteExpressions,
    /// Whether movement acts on it (an LFO depth, the mod wheel...): it then renders knot by
    /// knot on its bank, never in the steady lanes.
    moved: bool,
    /// Counts the calls that may have changed what the voice plays (every method but the
    /// rendering ones calls [`touch`](Self::touch) first), so the engine sees in one comparison
    /// that a steady voice is still what it was.
    revision: u32,
    /// Samples the steady lanes rendered that the banks' phases have not moved on by yet (see
    /// [`skip_steady`](Self::skip_steady)).
    steady_owed: u64,
}

impl Voice {
    /// A free voice at `sample_rate_hz`.
    pub fn new(sample_rate_hz: f64, shape: EnvelopeShape) -> Self {
        Self {
            banks: std::array::from_fn(|_| PartialBank::new(sample_rate_hz, [0.0; PARTIAL_COUNT])),
            unison: Unison::default(),
            envelopes: [Envelope::new(sample_rate_hz, shape); PARTIAL_COUNT],
            note: NoteRef::without_id(0, 0),
            state: VoiceState::Free,
            age: 0,
            tuning_semitones: 0.0,
            volume: 1.0,
            pan_expression: 0.0,
            modulation: [None; MODULATED_COUNT],
            lfo: VoiceLfo::IDLE,
            expressions: NoteExpressions::AT_REST,
            moved: false,
            revision: 0,
            steady_owed: 0,
        }
    }

    /// Notes that what the voice plays may change (its banks first keep time: a change must
    /// find their phases where they are).
    fn touch(&mut self) {
        self.revision = self.revision.wrapping_add(1);
        self.keep_time();
    }

    /// Changes whenever what the voice plays may have changed, other than by rendering.
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// The copies that play.
    fn banks(&self) -> &[PartialBank] {
        &self.banks[..self.unison.copies]
    }

    fn banks_mut(&mut self) -> &mut [PartialBank] {
        &mut self.banks[..self.unison.copies]
    }

    /// Starts `note` from silence: every phase at its copy's start (the first copy's at zero),
    /// partials at `frequencies_hz` (each copy detuned), the levels and gain set at once, each
    /// partial's attack towards its peak for `velocity` (see [`Touch::peaks`]).
    pub fn start(&mut self, note: NoteRef, velocity: f32, age: u64, sound: &VoiceSound) {
        self.touch();
        self.note = note;
        self.state = VoiceState::Held;
        self.age = age;
        self.tuning_semitones = 0.0;
        self.volume = 1.0;
        self.pan_expression = 0.0;
        self.modulation = [None; MODULATED_COUNT];
        self.lfo = sound.lfo;
        self.expressions = NoteExpressions::AT_REST;
        self.moved = sound.moved;
        self.unison = sound.unison.sanitized();
        let unison = self.unison;
        for (copy, bank) in self.banks_mut().iter_mut().enumerate() {
            bank.stop_moving();
            bank.start_phases_at(Unison::start_phases(copy));
            for (partial, hz) in sound.frequencies_hz.into_iter().enumerate() {
                bank.jump_to(partial, hz * unison.ratio(copy));
            }
        }
        self.set_levels(&sound.levels, [Motion::Jump; PARTIAL_COUNT]);
        self.set_gain(sound.gain, Motion::Jump);
        self.set_pans(&sound.pans, Motion::Jump);
        self.start_envelopes(velocity, &sound.touch);
    }

    /// Retriggers each partial's attack towards its peak for `velocity` on the voice's note,
    /// from where the partial is (one-voice legato).
    pub fn retrigger(&mut self, velocity: f32, touch: &Touch) {
        self.touch();
        self.state = VoiceState::Held;
        self.start_envelopes(velocity, touch);
    }

    fn start_envelopes(&mut self, velocity: f32, touch: &Touch) {
        let peaks = touch.peaks(self.note.key, velocity);
        for (envelope, peak) in self.envelopes.iter_mut().zip(peaks) {
            envelope.start(peak);
        }
    }

    /// Whether movement acts on the voice (see [`super::movement`]).
    pub fn set_moved(&mut self, moved: bool) {
        if moved != self.moved {
            self.touch();
            self.moved = moved;
        }
    }

    /// Whether movement acts on the voice.
    pub fn is_moved(&self) -> bool {
        self.moved
    }

    /// Its LFO, to follow a new rate.
    pub fn lfo_mut(&mut self) -> &mut VoiceLfo {
        self.touch();
        &mut self.lfo
    }

    /// The key went up: the release begins.
    pub fn release(&mut self) {
        self.touch();
        if matches!(self.state, VoiceState::Held | VoiceState::Sustained) {
            self.state = VoiceState::Released;
            self.envelopes.iter_mut().for_each(Envelope::release);
        }
    }

    /// Fades out fast and stops counting as playing.
    pub fn fade_out(&mut self) {
        self.touch();
        if self.state != VoiceState::Free {
            self.state = VoiceState::Stolen;
            self.envelopes.iter_mut().for_each(Envelope::fade_out);
        }
    }

    /// Forgets the note at once, without a fade (only when the output restarts anyway).
    pub fn silence(&mut self) {
        self.touch();
        self.state = VoiceState::Free;
        self.envelopes = [Envelope::new(self.banks[0].sample_rate_hz(), EnvelopeShape::default());
            PARTIAL_COUNT];
    }

    /// Whether the voice counts against the voice limit: it plays a note, held or released.
    pub fn is_playing(&self) -> bool {
        matches!(
            self.state,
            VoiceState::Held | VoiceState::Sustained | VoiceState::Released
        )
    }

    /// The loudest partial envelope's gain at the next sample, 0 ..= 1: 0 for a note that has
    /// not made a sound yet (stolen in the instant it started) or has finished its fade.
    pub fn loudness(&self) -> f32 {
        self.envelopes
            .iter()
            .map(Envelope::current)
            .fold(0.0, f32::max)
    }

    /// Whether it makes any sound.
    pub fn is_sounding(&self) -> bool {
        self.state != VoiceState::Free
    }

    /// Takes the note's envelope `shape` and each partial's relative to it (`partials`).
    pub fn set_envelope(&mut self, shape: EnvelopeShape, partials: &PartialShapes) {
        self.touch();
        for (k, envelope) in self.envelopes.iter_mut().enumerate() {
            envelope.set_shape(partials.shape(shape, k));
        }
    }

    /// Moves the partials to `frequencies_hz`: per partial at once or gliding over `glide_ms`.
    pub fn move_partials(
        &mut self,
        frequencies_hz: [f64; PARTIAL_COUNT],
        motions: [Motion; PARTIAL_COUNT],
        glide_ms: f64,
    ) {
        self.touch();
        let unison = self.unison;
        for (copy, bank) in self.banks_mut().iter_mut().enumerate() {
            for (partial, hz) in frequencies_hz.into_iter().enumerate() {
                let hz = hz * unison.ratio(copy);
                if hz != bank.target_frequency_hz(partial) {
                    match motions[partial] {
                        Motion::Smooth if glide_ms > 0.0 => {
                            bank.glide_to_over(partial, hz, glide_ms)
                        }
                        _ => bank.jump_to(partial, hz),
                    }
                }
            }
        }
    }

    /// Takes a new detune and width for its copies (the count stays the note's), or this
    /// voice's own where the host modulates them. The caller moves the partials and pans to
    /// them ([`move_partials`](Self::move_partials), [`set_pans`](Self::set_pans)).
    pub fn spread(&mut self, unison: Unison) {
        self.touch();
        let detune = self.modulation(Modulated::UnisonDetune);
        let spread = Unison {
            copies: self.unison.copies,
            detune_cents: detune.map_or(unison.detune_cents, |m| f64::from(m.value)),
            width: self.modulated_or(Modulated::UnisonWidth, unison.width),
        };
        self.unison = spread.sanitized();
    }

    /// Whether some copy stands off the centre.
    pub fn is_wide(&self) -> bool {
        self.unison.is_wide()
    }

    /// Sets the partials' levels: `levels` where this voice is not modulated.
    pub fn set_levels(&mut self, levels: &[f32; PARTIAL_COUNT], motions: [Motion; PARTIAL_COUNT]) {
        self.touch();
        let levels: [f32; PARTIAL_COUNT] =
            std::array::from_fn(|k| self.modulated_or(Modulated::Level(k), levels[k]));
        for bank in self.banks_mut() {
            for (partial, &level) in levels.iter().enumerate() {
                if level != bank.target_level(partial) {
                    match motions[partial] {
                        Motion::Smooth => bank.ramp_level_to(partial, level),
                        Motion::Jump => bank.jump_level_to(partial, level),
                    }
                }
            }
        }
    }

    /// Sets the output gain: `gain` unless this voice is modulated, times its volume expression
    /// and each copy's share (see [`super::unison`]).
    pub fn set_gain(&mut self, gain: f32, motion: Motion) {
        self.touch();
        let gain = self.modulated_or(Modulated::Gain, gain) * self.volume * self.unison.gain();
        for bank in self.banks_mut() {
            if gain != bank.target_gain() {
                match motion {
                    Motion::Smooth => bank.ramp_gain_to(gain),
                    Motion::Jump => bank.jump_gain_to(gain),
                }
            }
        }
    }

    /// Places the partials in the stereo field (−1 = hard left … +1 = hard right): at `pans`
    /// where this voice is not modulated, each copy's spread on top, moving as `motion` says.
    pub fn set_pans(&mut self, pans: &[f32; PARTIAL_COUNT], motion: Motion) {
        self.touch();
        let pans: [f32; PARTIAL_COUNT] =
            std::array::from_fn(|k| self.modulated_or(Modulated::Pan(k), pans[k]));
        let (unison, expression) = (self.unison, self.pan_expression);
        for (copy, bank) in self.banks_mut().iter_mut().enumerate() {
            for (partial, &pan) in pans.iter().enumerate() {
                let pan = copy_pan(pan + expression, &unison, copy);
                bank.pan_to(partial, pan, motion == Motion::Jump);
            }
        }
    }

    /// Takes a pan expression (−1 … +1 added to every partial's pan; clamped, non-finite
    /// ignored) and ramps there from `pans`, the partials' own.
    pub fn set_pan_expression(&mut self, pan: f32, pans: &[f32; PARTIAL_COUNT]) {
        self.touch();
        if pan.is_finite() {
            self.pan_expression = pan.clamp(-1.0, 1.0);
            self.set_pans(pans, Motion::Smooth);
        }
    }

    /// Takes a volume expression (linear gain, 1 = unchanged; clamped to 0 ..= 4, non-finite
    /// ignored) and ramps to it, on top of `gain`.
    pub fn set_volume(&mut self, volume: f32, gain: f32) {
        self.touch();
        if volume.is_finite() {
            self.volume = volume.clamp(0.0, 4.0);
            self.set_gain(gain, Motion::Smooth);
        }
    }

    /// Drops the host's modulation (its note ended), moving to the settings' values (the
    /// caller retunes the partials to the unison's detune and refreshes whether the voice
    /// moves).
    pub fn forget_modulation(&mut self, settings: &Settings) {
        self.touch();
        self.modulation = [None; MODULATED_COUNT];
        self.set_levels(&settings.levels, [Motion::Smooth; PARTIAL_COUNT]);
        self.set_gain(settings.gain, Motion::Smooth);
        self.spread(settings.unison);
        self.set_pans(&settings.pans, Motion::Smooth);
    }

    /// Whether the host modulates anything on this voice.
    pub fn is_modulated(&self) -> bool {
        self.modulation.iter().any(Option::is_some)
    }

    /// What moves the voice (see [`Movement::controls`]), with the LFO's depths this voice's
    /// own where the host modulates them.
    pub fn controls(&self, movement: &Movement) -> Controls {
        let mut controls = movement.controls(self.note.channel, &self.expressions);
        let depth = |target, setting: f64| {
            self.modulation(target)
                .map_or(setting, |m| f64::from(m.value))
        };
        let set = controls.depths;
        controls.depths = Depths {
            vibrato_cents: depth(Modulated::Vibrato, set.vibrato_cents),
            tremolo: depth(Modulated::Tremolo, set.tremolo),
            brightness_db: depth(Modulated::LfoBrightness, set.brightness_db),
        }
        .sanitized();
        controls
    }

    /// This voice's modulation of `target`, if the host modulates it.
    pub fn modulation(&self, target: Modulated) -> Option<Modulation> {
        self.modulation[target.index()]
    }

    /// Records the host's modulation of `target` for this voice (applied by the next call that
    /// sets it: [`set_levels`](Self::set_levels), [`set_gain`](Self::set_gain),
    /// [`set_pans`](Self::set_pans), [`spread`](Self::spread); the LFO's depths at the next
    /// knot, through [`controls`](Self::controls)).
    pub fn modulate(&mut self, target: Modulated, modulation: Modulation) {
        self.touch();
        if modulation.value.is_finite() {
            self.modulation[target.index()] = Some(modulation);
        }
    }

    fn modulated_or(&self, target: Modulated, value: f32) -> f32 {
        self.modulation(target).map_or(value, |m| m.value)
    }

    /// The frequency partial `partial` plays at the next sample, in Hz (the note's: its
    /// copies' detune left out).
    pub fn current_frequency_hz(&self, partial: usize) -> f64 {
        self.banks[0].current_frequency_hz(partial) / self.unison.ratio(0)
    }

    /// [`current_frequency_hz`](Self::current_frequency_hz) for a first copy whose partial
    /// plays `increment` now (the chirp lanes', while they play the voice).
    pub fn frequency_at_hz(&self, increment: u64) -> f64 {
        frequency_for(increment, self.banks[0].sample_rate_hz()) / self.unison.ratio(0)
    }

    /// The voice's audible partials as the steady lanes play them, gain and envelope folded into
    /// their amplitudes, while nothing about the voice moves (a held note in its sustain, no
    /// glide or ramp): until the next event its samples are those sines and nothing else.
    pub fn steady(&mut self) -> Option<SteadySound> {
        if self.moved {
            return None;
        }
        let mut envelopes = [0.0; PARTIAL_COUNT];
        for (gain, envelope) in envelopes.iter_mut().zip(&self.envelopes) {
            *gain = envelope.sustained_gain()?;
        }
        let mut sound = SteadySound::SILENT;
        for (copy, bank) in self.banks[..self.unison.copies].iter_mut().enumerate() {
            let (gain, partials) = bank.steady_partials()?;
            for (k, (slot, envelope)) in partials.into_iter().zip(envelopes).enumerate() {
                let lane = copy * PARTIAL_COUNT + k;
                sound.partials[lane] = slot
                    .map(|partial| SteadyPartial {
                        amplitude: partial.amplitude * gain * envelope,
                        ..partial
                    })
                    .filter(|partial| partial.amplitude != 0.0);
                sound.pans[lane] = bank.pan_gains(k);
            }
        }
        // Where the banks' phases will be once they keep time (looking leaves them owed).
        Some(sound.after(self.steady_owed))
    }

    /// Keeps time for `samples` samples the steady lanes rendered (see [`steady`](Self::steady)):
    /// the banks' phases move on by them only when something next changes or renders the banks
    /// (every such method calls [`keep_time`](Self::keep_time) first; `steady` reports the
    /// phases as they will be). The phases are exact integer sums, so when they move on changes
    /// no bit; the lanes pay one add per voice and render call instead of one per partial of
    /// every copy.
    pub fn skip_steady(&mut self, samples: usize) {
        self.steady_owed = self.steady_owed.wrapping_add(samples as u64);
    }

    /// Moves the banks' phases on by the samples [`skip_steady`](Self::skip_steady) owes them.
    pub(super) fn keep_time(&mut self) {
        if self.steady_owed != 0 {
            let owed = self.steady_owed;
            for bank in self.banks_mut() {
                bank.skip_steady(owed);
            }
            self.steady_owed = 0;
        }
    }

    /// Samples before the voice can be [`steady`](Self::steady) (0 if it may be now), at least;
    /// `None` if it never will before its next event.
    pub fn samples_before_steady(&self) -> Option<u32> {
        if self.moved {
            return None;
        }
        let mut samples = self
            .banks()
            .iter()
            .map(PartialBank::samples_before_steady)
            .max()?;
        for envelope in &self.envelopes {
            samples = samples.max(envelope.samples_before_sustained()?);
        }
        Some(samples)
    }

    /// The voice as the ramped steady lanes play it while its bank holds still (no glide, no
    /// level or gain ramp, every sounding partial slow enough for the lanes) and its partials'
    /// envelopes differ (alike ones render as the bank's sum under one envelope, to the bit, as
    /// before partials had their own): each partial's sine at its level and gain, and the five
    /// envelopes. Until the next event its samples are those sines times those envelopes.
    pub fn ramped(&mut self) -> Option<RampedSound> {
        self.keep_time();
        if self.envelopes_alike() || self.moved {
            return None;
        }
        let mut sound = RampedSound {
            partials: [None; VOICE_LANES],
            pans: [[0.0; 2]; VOICE_LANES],
            envelopes: self.envelopes,
        };
        for (copy, bank) in self.banks[..self.unison.copies].iter_mut().enumerate() {
            let (gain, partials) = bank.steady_partials()?;
            for (k, slot) in partials.into_iter().enumerate() {
                let lane = copy * PARTIAL_COUNT + k;
                sound.partials[lane] = slot
                    .map(|partial| SteadyPartial {
                        amplitude: partial.amplitude * gain,
                        ..partial
                    })
                    .filter(|partial| partial.amplitude != 0.0);
                sound.pans[lane] = bank.pan_gains(k);
            }
        }
        Some(sound)
    }

    /// Samples before [`ramped`](Self::ramped) holds with every moving envelope at least
    /// `shortest` samples from its segment's end (0 if now), at least; `None` if not before the
    /// next event (alike envelopes, a partial too high for the lanes, no envelope moving).
    pub fn samples_before_ramped(&self, shortest: u32) -> Option<u32> {
        if self.envelopes_alike() || self.moved {
            return None;
        }
        let banks = self.banks().iter().map(PartialBank::samples_before_steady);
        let bank = banks.max().unwrap_or(0);
        if bank > 0 {
            return Some(bank);
        }
        if !self.banks().iter().all(PartialBank::fits_steady_lanes) {
            return None;
        }
        // Until every segment shorter than `shortest` has ended.
        let moving = self
            .envelopes
            .iter()
            .map(|e| e.segment().1)
            .filter(|&r| r > 0);
        moving.fold(None, |wait, left| {
            Some(
                wait.unwrap_or(0)
                    .max(if left < shortest { left } else { 0 }),
            )
        })
    }

    /// Keeps time for `samples` samples the ramped lanes rendered (see
    /// [`ramped`](Self::ramped)); whether the voice fell silent at their end (its last
    /// envelope ended there) and is free.
    pub fn skip_ramped(&mut self, samples: usize) -> bool {
        self.skip_steady(samples);
        for envelope in &mut self.envelopes {
            envelope.skip(samples);
        }
        let silent = self.envelopes.iter().all(Envelope::is_idle);
        if silent {
            self.state = VoiceState::Free;
        }
        silent
    }

    /// Joins the chirp lanes at sample `clock` of the engine's clock, a knot, if movement alone
    /// moves the voice (its envelopes sustained, no glide, gain or pan ramp of its own): tells
    /// its banks the next knot (as rendering would) and pushes every copy's partials onto
    /// `lanes` (copy by copy, gain and envelope folded into each amplitude, at its pans).
    /// Returns the movement's two knots, from and to, or `None` (nothing pushed). From here
    /// the lanes play the voice until [`resume_banks`](Self::resume_banks).
    pub fn join_chirp(
        &mut self,
        clock: u64,
        movement: &Movement,
        lanes: &mut MovedLanes,
    ) -> Option<[Knot; 2]> {
        if !self.moved || !clock.is_multiple_of(KNOT_SAMPLES as u64) {
            return None;
        }
        // The banks are read and told the knot: they first catch up on steady time owed.
        self.keep_time();
        let mut envelopes = [0.0; PARTIAL_COUNT];
        for (gain, envelope) in envelopes.iter_mut().zip(&self.envelopes) {
            *gain = envelope.sustained_gain()?;
        }
        let controls = self.controls(movement);
        self.head_for_knot(clock, movement, &controls);
        let first = lanes.partials();
        let mut knots = None;
        for bank in &self.banks[..self.unison.copies] {
            let Some((gain, told, partials)) = bank.moved_partials(KNOT_SAMPLES as u32) else {
                lanes.truncate(first);
                return None;
            };
            for (k, (partial, envelope)) in partials.iter().zip(envelopes).enumerate() {
                lanes.push(partial, gain * envelope, bank.pan_gains(k));
            }
            knots = Some(told);
        }
        knots
    }

    /// Lanes the voice takes in the chirp lanes.
    pub fn chirp_lanes(&self) -> usize {
        self.unison.copies * PARTIAL_COUNT
    }

    /// Its LFO, for the chirp lanes to read every member's movement at a knot at once (see
    /// [`Movement::voice_knots`]).
    pub fn lfo(&self) -> &VoiceLfo {
        &self.lfo
    }

    /// Hands the voice back to its banks after the chirp lanes played `elapsed` samples of it
    /// from where it joined, heading for knot `knot`: each copy's bank takes the movement and
    /// own increments `copy(n)` gives for copy `n` (see [`PartialBank::resume_moved`]).
    pub fn resume_banks(
        &mut self,
        knot: u64,
        elapsed: u64,
        copy: impl Fn(usize) -> (Moving, [u64; PARTIAL_COUNT]),
    ) {
        self.keep_time();
        for (n, bank) in self.banks[..self.unison.copies].iter_mut().enumerate() {
            let (moving, own) = copy(n);
            bank.resume_moved(moving, own, elapsed);
        }
        self.lfo.heading_for(knot);
    }

    /// Whether the five envelopes are in the same state (and so stay alike until an event
    /// changes one of them).
    fn envelopes_alike(&self) -> bool {
        let [first, rest @ ..] = &self.envelopes;
        rest.iter().all(|envelope| envelope == first)
    }

    /// At a knot due at `clock` (see [`Movement::knot_due`]), tells every copy's bank where
    /// to head: the LFO's values at the next knot under `controls` (the voice's own depths and
    /// controllers). Both renderers, the banks and the chirp lanes, come through here.
    fn head_for_knot(&mut self, clock: u64, movement: &Movement, controls: &Controls) {
        if let Some((knot, samples)) = Movement::knot_due(&mut self.lfo, clock) {
            let values = movement.voice_knot(&self.lfo, knot, controls);
            for bank in self.banks_mut() {
                bank.move_to(values, samples);
            }
        }
    }

    /// Adds the voice's next samples to `out`, the first of them sample `clock` of the engine's
    /// clock, using the `scratch` buffers (at least as long). While movement acts on it (or a
    /// bank still moves) it renders knot by knot, telling each copy's bank at each knot where to
    /// head (see [`super::movement`]). Returns the sample at which the voice fell silent and
    /// became free (its last partial's envelope ended), if it did.
    pub fn add_to(
        &mut self,
        mut out: Channels,
        scratch: &mut VoiceScratch,
        clock: u64,
        movement: &Movement,
    ) -> Option<usize> {
        self.keep_time();
        if !self.moved && !self.banks().iter().any(PartialBank::is_moving) {
            return self.add_unmoved(out, scratch);
        }
        let controls = self.controls(movement);
        let len = out.len();
        let mut position = 0;
        while position < len {
            let now = clock + position as u64;
            self.head_for_knot(now, movement, &controls);
            let to_knot = KNOT_SAMPLES - (now % KNOT_SAMPLES as u64) as usize;
            let end = (position + to_knot).min(len);
            if let Some(silent) = self.add_unmoved(out.slice(position..end), scratch) {
                return Some(position + silent);
            }
            position = end;
        }
        None
    }

    /// [`add_to`](Self::add_to) for a run the banks play without a new knot.
    fn add_unmoved(&mut self, out: Channels, scratch: &mut VoiceScratch) -> Option<usize> {
        let silent_from = match out.right {
            None => self.add_mono_to(out.left, scratch),
            Some(right) => self.add_stereo_to(out.left, right, scratch),
        };
        if silent_from.is_some() {
            self.state = VoiceState::Free;
        }
        silent_from
    }

    /// [`add_to`](Self::add_to) one channel, every partial centred.
    fn add_mono_to(&mut self, out: &mut [f32], scratch: &mut VoiceScratch) -> Option<usize> {
        let len = out.len();
        let VoiceScratch {
            sum, partial, copy, ..
        } = scratch;
        let silent_from = if self.envelopes_alike() {
            // One envelope for the whole note, as before partials had their own.
            let sum = &mut sum[..len];
            for (n, bank) in self.banks[..self.unison.copies].iter_mut().enumerate() {
                if n == 0 {
                    bank.render(sum);
                } else {
                    let copy = &mut copy[..len];
                    bank.render(copy);
                    add(sum, copy);
                }
            }
            let silent_from = self.envelopes[0].apply(sum);
            let first = self.envelopes[0];
            self.envelopes[1..].fill(first);
            silent_from
        } else {
            self.render_copies(len, |bank, first, shape| {
                if first {
                    bank.render_shaped(&mut sum[..len], partial, shape);
                } else {
                    bank.render_shaped(&mut copy[..len], partial, shape);
                    add(&mut sum[..len], &copy[..len]);
                }
            })
        };
        add(out, &sum[..len]);
        silent_from
    }

    /// [`add_to`](Self::add_to) two channels, each partial placed by its pan; each partial
    /// under its own envelope (alike ones or not).
    fn add_stereo_to(
        &mut self,
        left: &mut [f32],
        right: &mut [f32],
        scratch: &mut VoiceScratch,
    ) -> Option<usize> {
        let len = left.len();
        let VoiceScratch {
            sum,
            right: sum_right,
            partial,
            copy,
            copy_right,
        } = scratch;
        let silent_from = self.render_copies(len, |bank, first, shape| {
            if first {
                bank.render_panned(&mut sum[..len], &mut sum_right[..len], partial, shape);
            } else {
                let (l, r) = (&mut copy[..len], &mut copy_right[..len]);
                bank.render_panned(l, r, partial, shape);
                add(&mut sum[..len], l);
                add(&mut sum_right[..len], r);
            }
        });
        add(left, &sum[..len]);
        add(right, &sum_right[..len]);
        silent_from
    }

    /// Renders each copy through `render(bank, first, shape)`, which passes each of the
    /// bank's partials through `shape` (its envelope: every copy's partial `k` under the same
    /// envelope, which moves on once); returns where the last partial fell silent, if all did.
    fn render_copies(
        &mut self,
        len: usize,
        mut render: impl FnMut(&mut PartialBank, bool, &mut dyn FnMut(usize, usize, &mut [f32])),
    ) -> Option<usize> {
        let start = self.envelopes;
        let mut silent = [None; PARTIAL_COUNT];
        for (n, bank) in self.banks[..self.unison.copies].iter_mut().enumerate() {
            let mut envelopes = start;
            silent = [None; PARTIAL_COUNT];
            render(bank, n == 0, &mut |k, offset, samples| {
                let ended = envelopes[k].apply(samples);
                silent[k] = silent[k].or(ended.map(|sample| offset + sample));
            });
            self.envelopes = envelopes;
        }
        debug_assert!(len <= VOICE_PASS_SAMPLES);
        last_silence(silent)
    }
}

/// `out += samples`.
fn add(out: &mut [f32], samples: &[f32]) {
    for (out, sample) in out.iter_mut().zip(samples) {
        *out += *sample;
    }
}

/// The sample at which the last of the partials fell silent, if all did.
fn last_silence(silent: [Option<usize>; PARTIAL_COUNT]) -> Option<usize> {
    silent
        .into_iter()
        .try_fold(0, |last, ended| ended.map(|sample| last.max(sample)))
}

/// Lanes a voice takes at most: each copy's five partials.
pub const VOICE_LANES: usize = PARTIAL_COUNT * MAX_UNISON;

/// A voice as the steady lanes play it (see [`Voice::steady`]): lane `copy · 5 + k` is copy
/// `copy`'s partial `k`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SteadySound {
    /// Each audible partial's sine, gain and envelope folded into its amplitude.
    pub partials: [Option<SteadyPartial>; VOICE_LANES],
    /// Each partial's left and right gains (see [`crate::dsp::pan`]).
    pub pans: [[f32; 2]; VOICE_LANES],
}

impl SteadySound {
    /// No partial.
    const SILENT: Self = Self {
        partials: [None; VOICE_LANES],
        pans: [[0.0; 2]; VOICE_LANES],
    };

    /// The sound `samples` samples on (its phases moved on; nothing else moves).
    pub fn after(&self, samples: u64) -> Self {
        let mut later = *self;
        for partial in later.partials.iter_mut().flatten() {
            partial.phase = partial.phase_after(samples);
        }
        later
    }

    /// Each audible partial with its two gains.
    pub fn lanes(&self) -> impl Iterator<Item = (SteadyPartial, [f32; 2])> + '_ {
        self.partials
            .iter()
            .zip(&self.pans)
            .filter_map(|(partial, &pans)| partial.map(|partial| (partial, pans)))
    }
}

/// A voice as the ramped steady lanes play it (see [`Voice::ramped`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RampedSound {
    /// Each audible partial's sine at its level and the voice's gain (lanes as in
    /// [`SteadySound`]).
    pub partials: [Option<SteadyPartial>; VOICE_LANES],
    /// Each partial's left and right gains (see [`crate::dsp::pan`]).
    pub pans: [[f32; 2]; VOICE_LANES],
    /// Each partial's envelope (every copy's partial `k` under the `k`-th).
    pub envelopes: [Envelope; PARTIAL_COUNT],
}

impl RampedSound {
    /// The sound `samples` samples on (phases and envelopes moved on; nothing else moves).
    pub fn after(&self, samples: u64) -> Self {
        let mut later = *self;
        for partial in later.partials.iter_mut().flatten() {
            partial.phase = partial.phase_after(samples);
        }
        for envelope in &mut later.envelopes {
            envelope.skip(samples as usize);
        }
        later
    }

    /// Samples until the first moving envelope's segment ends; `None` if none moves.
    pub fn holds(&self) -> Option<u32> {
        let left = self.envelopes.iter().map(|e| e.segment().1);
        left.filter(|&samples| samples > 0).min()
    }

    /// Each audible partial with its envelope's segment and its two gains, as the lanes take
    /// them (a partial whose envelope holds silence is left out).
    pub fn lanes(&self) -> impl Iterator<Item = (SteadyPartial, AmplitudeRamp, [f32; 2])> + '_ {
        self.partials
            .iter()
            .zip(self.envelopes.iter().cycle())
            .zip(&self.pans)
            .filter_map(|((partial, envelope), &pans)| {
                let (ramp, left) = envelope.segment();
                let silent = left == 0 && ramp.start == 0.0;
                partial
                    .filter(|_| !silent)
                    .map(|partial| (partial, ramp, pans))
            })
    }
}

/// Samples a voice renders per [`Voice::add_to`] call, at most.
pub const VOICE_PASS_SAMPLES: usize = 1024;

/// Where a voice renders before its samples are added to the output: the sum of its partials
/// (the left channel's in stereo), the right channel's, and one partial's samples while its
/// envelopes differ or it renders in stereo (4 KiB each: they stay in L1 cache).
#[derive(Clone, Debug)]
pub struct VoiceScratch {
    sum: [f32; VOICE_PASS_SAMPLES],
    right: [f32; VOICE_PASS_SAMPLES],
    partial: [f32; VOICE_PASS_SAMPLES],
    /// A copy's channels after the first (unison), before they are added to the sums.
    copy: [f32; VOICE_PASS_SAMPLES],
    copy_right: [f32; VOICE_PASS_SAMPLES],
}

impl Default for VoiceScratch {
    fn default() -> Self {
        Self {
            sum: [0.0; VOICE_PASS_SAMPLES],
            right: [0.0; VOICE_PASS_SAMPLES],
            partial: [0.0; VOICE_PASS_SAMPLES],
            copy: [0.0; VOICE_PASS_SAMPLES],
            copy_right: [0.0; VOICE_PASS_SAMPLES],
        }
    }
}

/// What a voice plays when it starts: its partials' frequencies and the global levels and gain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoiceSound {
    pub frequencies_hz: [f64; PARTIAL_COUNT],
    pub levels: [f32; PARTIAL_COUNT],
    pub gain: f32,
    /// How the partials' peaks follow velocity and key.
    pub touch: Touch,
    /// Its LFO, and whether movement acts on it.
    pub lfo: VoiceLfo,
    pub moved: bool,
    /// Where each partial sits in the stereo field (−1 … +1).
    pub pans: [f32; PARTIAL_COUNT],
    /// The note's copies.
    pub unison: Unison,
}
