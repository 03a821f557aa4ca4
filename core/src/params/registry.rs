//! Every parameter, declared once: [`PARAMS`], in the order hosts list them.

use super::frequency_text::FREQUENCY_STEP_HZ;
use super::range::FloatRange;
use super::spec::{Family, FloatText, Kind, Offered, ParamSpec};
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::bank::{GAIN_RAMP_MS, GLIDE_MS, LEVEL_RAMP_MS};
use crate::dsp::lfo::{DIVISIONS, MAX_RATE_HZ, MIN_RATE_HZ, SYNC_NAMES, Shape};
use crate::dsp::pan::PAN_RAMP_MS;
use crate::engine::Modulated;
use crate::limits::{
    ATTACK_MS, DECAY_MS, DEFAULT_BEND_RANGE_SEMITONES, DEFAULT_FREQUENCIES_HZ, DEFAULT_VOICES,
    MAX_BEND_RANGE_SEMITONES, MAX_ENVELOPE_MS, MAX_FREQUENCY_HZ, MAX_MIDI_GLIDE_MS, MAX_UNISON,
    MAX_UNISON_DETUNE_CENTS, MAX_VOICES, MIN_FREQUENCY_HZ, RELEASE_MS, SUSTAIN_LEVEL,
};
use crate::limits::{MAX_KEY_TILT_DB_PER_OCTAVE, MAX_TIME_SCALE, MIN_TIME_SCALE};

/// How many parameters there are.
pub const PARAM_COUNT: usize = PARAMS.len();

/// Skew of the frequency sliders: the middle of the slider is 632 Hz (the geometric middle of
/// 20 Hz – 20 kHz) so the first half covers the notes a melody lives in.
const FREQUENCY_SKEW: f32 = 0.199;
/// Skew of the level sliders: −30 dB in the middle of a −60 dB … 0 dB slider (nice-plug's
/// `gain_skew_factor(-60.0, 0.0)`, which src/params.rs's tests check this equals).
const LEVEL_SKEW: f32 = 0.198_893_83;
/// Top of the gain's range, linear: [`MAX_GAIN_DB`](crate::limits::MAX_GAIN_DB) as `gain_text::db_to_gain` computes it
/// (checked below), so typing "+12" reaches it.
const MAX_GAIN: f32 = 3.981_072;
/// Skew of the gain slider: −24 dB in the middle of a −60 dB … +12 dB slider, 0 dB at 0.79
/// (nice-plug's `gain_skew_factor(-60.0, 12.0)`, which src/params.rs's tests check this equals).
const GAIN_SKEW: f32 = 0.166_606_78;
/// Skew of the MIDI glide slider: 2^-1, the low end finer.
const GLIDE_SKEW: f32 = 0.5;
/// Skew of the envelope time sliders: 2^-2, finer at the short end where the feel changes most.
const ENVELOPE_SKEW: f32 = 0.25;
/// Skew of a partial's time scale (×0.1 … ×10): ln ½ / ln((1 − 0.1) / (10 − 0.1)), so ×1 is
/// the slider's middle; ×0.18 sits at a quarter and ×3.8 at three quarters, near the ×0.32 and
/// ×3.2 of an evenly logarithmic slider.
const TIME_SCALE_SKEW: f32 = 0.289_064_8;
/// The range of a partial's time scales: a tenth to ten times the note's time.
pub const TIME_SCALE_RANGE: FloatRange =
    FloatRange::skewed(MIN_TIME_SCALE, MAX_TIME_SCALE, TIME_SCALE_SKEW);

/// The range every frequency parameter has.
pub const FREQUENCY_RANGE: FloatRange =
    FloatRange::skewed(MIN_FREQUENCY_HZ, MAX_FREQUENCY_HZ, FREQUENCY_SKEW);

static FREQUENCIES: Family = Family {
    key: "frequencies",
    flag: Some("freqs"),
    doc: "The five partial frequencies: in Hz (440), kHz (1.2k) or as note names (A4, C#3, Bb2)",
};
static LEVELS: Family = Family {
    key: "levels",
    flag: Some("levels"),
    doc: "The five partial levels: linear gains, shown and typed in dB (0 = full, -inf = silent)",
};

static PARTIAL_ATTACKS: Family = Family {
    key: "partial_attack",
    flag: Some("partial-attack"),
    doc: "Each partial's attack as a factor of the note's (0.1 to 10, typed 0.5 or x0.5)",
};
static PARTIAL_DECAYS: Family = Family {
    key: "partial_decay",
    flag: Some("partial-decay"),
    doc: "Each partial's decay and release as a factor of the note's (0.1 to 10): a partial \
          that dies fast also lets go fast",
};
static PARTIAL_SUSTAINS: Family = Family {
    key: "partial_sustain",
    flag: Some("partial-sustain"),
    doc: "Each partial's sustain level as a fraction of the note's (typed in %)",
};
static PARTIAL_VELOCITIES: Family = Family {
    key: "partial_velocity",
    flag: Some("partial-velocity"),
    doc: "How much of each partial's level follows velocity on top of the note's (typed in %): \
          upper partials at 100 % make a hard note brighter than a soft one",
};

/// Every parameter, in the order hosts and the editor list them. The order is part of the
/// parameter lock (tests/clap_host/parameter_lock.rs): add new parameters at the end.
pub const PARAMS: [ParamSpec; 73] = [
    frequency(0),
    frequency(1),
    frequency(2),
    frequency(3),
    frequency(4),
    ParamSpec {
        id: "gain",
        name: "Gain",
        kind: gain_kind(MAX_GAIN, GAIN_SKEW, GAIN_RAMP_MS),
        default: 1.0,
        before_it_existed: None,
        modulated: Some(Modulated::Gain),
        offered: Offered::Alone {
            key: "gain",
            flag: Some("gain"),
            doc: "Output gain: linear, shown and typed in dB (0 = unity, +12 at most, -inf = silent)",
        },
    },
    level(0),
    level(1),
    level(2),
    level(3),
    level(4),
    mute(0),
    mute(1),
    mute(2),
    mute(3),
    mute(4),
    ParamSpec {
        id: "midi",
        name: "MIDI mode",
        kind: Kind::Switch,
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "midi",
            // `render --midi FILE` plays a song, which switches it on.
            flag: None,
            doc: "Off: the partials play as a drone. On: notes gate them and transpose them together",
        },
    },
    ParamSpec {
        id: "mglide",
        name: "MIDI glide",
        kind: Kind::Float {
            range: FloatRange::skewed(0.0, MAX_MIDI_GLIDE_MS, GLIDE_SKEW),
            step: Some(1.0),
            text: FloatText::Milliseconds { decimals: 0 },
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "midi_glide_ms",
            flag: Some("midi-glide"),
            doc: "With one voice, the glide from note to note in milliseconds (0 = none)",
        },
    },
    ParamSpec {
        id: "voices",
        name: "Voices",
        kind: Kind::Int {
            min: 1,
            max: MAX_VOICES as i32,
            unit: "",
            names: &[],
        },
        default: DEFAULT_VOICES as f32,
        // Before voices existed MIDI mode played one: not today's default.
        before_it_existed: Some(1.0),
        modulated: None,
        offered: Offered::Alone {
            key: "voices",
            flag: Some("voices"),
            doc: "Notes at once in MIDI mode (1 = legato, last-note priority)",
        },
    },
    envelope_time(
        "attack",
        "Attack",
        ATTACK_MS,
        "attack_ms",
        "attack",
        ATTACK_DOC,
    ),
    envelope_time("decay", "Decay", DECAY_MS, "decay_ms", "decay", DECAY_DOC),
    ParamSpec {
        id: "sustain",
        name: "Sustain",
        kind: Kind::Float {
            range: FloatRange::linear(0.0, 1.0),
            step: None,
            text: FloatText::Percent { decimals: 1 },
            smoothing_ms: None,
        },
        default: SUSTAIN_LEVEL,
        before_it_existed: Some(SUSTAIN_LEVEL),
        modulated: None,
        offered: Offered::Alone {
            key: "sustain",
            flag: Some("sustain"),
            doc: "Envelope sustain: the held level as a fraction of the velocity (typed in %)",
        },
    },
    envelope_time(
        "release",
        "Release",
        RELEASE_MS,
        "release_ms",
        "release",
        RELEASE_DOC,
    ),
    ParamSpec {
        id: "bendrng",
        name: "Bend range",
        kind: Kind::Int {
            min: 0,
            max: MAX_BEND_RANGE_SEMITONES as i32,
            unit: " st",
            names: &[],
        },
        default: DEFAULT_BEND_RANGE_SEMITONES as f32,
        before_it_existed: Some(DEFAULT_BEND_RANGE_SEMITONES as f32),
        modulated: None,
        offered: Offered::Alone {
            key: "bend_range",
            flag: Some("bend-range"),
            doc: "How far the pitch wheel bends, in whole semitones either way",
        },
    },
    partial_attack(0),
    partial_attack(1),
    partial_attack(2),
    partial_attack(3),
    partial_attack(4),
    partial_decay(0),
    partial_decay(1),
    partial_decay(2),
    partial_decay(3),
    partial_decay(4),
    partial_sustain(0),
    partial_sustain(1),
    partial_sustain(2),
    partial_sustain(3),
    partial_sustain(4),
    partial_velocity(0),
    partial_velocity(1),
    partial_velocity(2),
    partial_velocity(3),
    partial_velocity(4),
    ParamSpec {
        id: "keytilt",
        name: "Key tilt",
        kind: Kind::Float {
            range: FloatRange::linear(-MAX_KEY_TILT_DB_PER_OCTAVE, MAX_KEY_TILT_DB_PER_OCTAVE),
            step: Some(0.1),
            text: FloatText::DecibelsPerOctave,
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "key_tilt_db",
            flag: Some("key-tilt"),
            doc: "dB per octave from C4 that partial 5 loses (partials 2-4 a quarter, half, \
                  three quarters of it, partial 1 none): below 0 upper partials are quieter for \
                  high notes, above 0 for low notes; never louder than without it",
        },
    },
    ParamSpec {
        id: "mpe",
        name: "MPE",
        kind: Kind::Switch,
        // Off for a new instance: most hosts and MIDI files send ordinary channels (one
        // instrument or one keyboard a channel), where a bend on channel 1 must not bend the
        // others. An MPE controller's player switches it on.
        default: 0.0,
        // Before the switch existed the lower zone was always on: old projects keep it.
        before_it_existed: Some(1.0),
        modulated: None,
        offered: Offered::Alone {
            key: "mpe",
            flag: Some("mpe"),
            doc: "MPE (lower zone), for MPE controllers. On: channel 1's pitch wheel bends every \
                  note and each of channels 2-16 bends its own notes. Off: ordinary MIDI, each \
                  channel's wheel bends only the notes played on that channel",
        },
    },
    // ---- i24-lfo: movement (the LFO, its routes, the mod wheel). Every depth was 0 before
    // these existed, so old projects and presets sound exactly as they did.
    ParamSpec {
        id: "lfoshape",
        name: "LFO shape",
        kind: Kind::Int {
            min: 0,
            max: Shape::ALL.len() as i32 - 1,
            unit: "",
            names: &["Sine", "Triangle", "Square", "S&H"],
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "lfo_shape",
            flag: Some("lfo-shape"),
            doc: "The LFO's wave: Sine, Triangle, Square or S&H (a new random value each cycle, \
                  the same every render of a note)",
        },
    },
    ParamSpec {
        id: "lforate",
        name: "LFO rate",
        kind: Kind::Float {
            range: FloatRange::skewed(MIN_RATE_HZ, MAX_RATE_HZ, LFO_RATE_SKEW),
            step: Some(0.01),
            text: FloatText::Number {
                unit: " Hz",
                decimals: 2,
            },
            smoothing_ms: None,
        },
        default: DEFAULT_LFO_RATE_HZ,
        before_it_existed: Some(DEFAULT_LFO_RATE_HZ),
        modulated: None,
        offered: Offered::Alone {
            key: "lfo_rate_hz",
            flag: Some("lfo-rate"),
            doc: "The LFO's cycles per second while it is not synced to the tempo",
        },
    },
    ParamSpec {
        id: "lfosync",
        name: "LFO sync",
        kind: Kind::Int {
            min: 0,
            max: DIVISIONS.len() as i32,
            unit: "",
            names: &SYNC_NAMES,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "lfo_sync",
            flag: Some("lfo-sync"),
            doc: "Off: the LFO runs at its rate. A note division (1/4, 1/8D dotted, 1/8T \
                  triplet...): one cycle per division at the host's tempo (a render's MIDI file's; \
                  120 BPM without one)",
        },
    },
    lfo_time(
        "lfodelay",
        "LFO delay",
        "lfo_delay_ms",
        "lfo-delay",
        "Milliseconds after note-on before the LFO acts",
    ),
    lfo_time(
        "lfofade",
        "LFO fade-in",
        "lfo_fade_ms",
        "lfo-fade",
        "Milliseconds over which the LFO's depths grow to full after the delay",
    ),
    ParamSpec {
        id: "lfofree",
        name: "LFO free-running",
        kind: Kind::Switch,
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "lfo_free",
            flag: Some("lfo-free"),
            doc: "Off: each note starts the LFO at the beginning of its cycle. On: every note \
                  joins one free-running LFO (the drone's)",
        },
    },
    ParamSpec {
        modulated: Some(Modulated::Vibrato),
        ..cents(
            "vibrato",
            "Vibrato",
            0.0,
            "vibrato_cents",
            "vibrato",
            "How far the LFO moves the pitch, in cents either way",
        )
    },
    ParamSpec {
        id: "tremolo",
        name: "Tremolo",
        kind: Kind::Float {
            range: FloatRange::linear(0.0, 1.0),
            step: None,
            text: FloatText::Percent { decimals: 1 },
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: Some(Modulated::Tremolo),
        offered: Offered::Alone {
            key: "tremolo",
            flag: Some("tremolo"),
            doc: "How far the LFO dips the level (typed in %): at 100 % to silence at its low \
                  point",
        },
    },
    ParamSpec {
        modulated: Some(Modulated::LfoBrightness),
        ..tilt(
            "lfobright",
            "LFO brightness",
            "lfo_brightness_db",
            "lfo-brightness",
            "How far the LFO tilts the partials, in dB for partial 5 (partials 2-4 a quarter, \
             half, three quarters of it): above 0 brighter at the LFO's top",
        )
    },
    cents(
        "wheelvib",
        "Wheel vibrato",
        DEFAULT_WHEEL_VIBRATO_CENTS,
        "wheel_vibrato_cents",
        "wheel-vibrato",
        "Vibrato the full mod wheel (CC1) adds to the LFO's, in cents either way",
    ),
    ParamSpec {
        id: "prslevel",
        name: "Pressure level",
        kind: Kind::Float {
            range: FloatRange::linear(-MAX_TILT_DB, MAX_PRESSURE_GAIN_DB),
            step: Some(0.1),
            text: FloatText::Number {
                unit: " dB",
                decimals: 1,
            },
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "pressure_level_db",
            flag: Some("pressure-level"),
            doc: "How far full pressure (channel or polyphonic aftertouch, CLAP's pressure) \
                  moves a note's level, in dB",
        },
    },
    tilt(
        "prsbright",
        "Pressure brightness",
        "pressure_brightness_db",
        "pressure-brightness",
        "How far full pressure tilts a note's partials, in dB for partial 5",
    ),
    ParamSpec {
        default: DEFAULT_TIMBRE_DB,
        ..tilt(
            "timbre",
            "Timbre brightness",
            "timbre_brightness_db",
            "timbre-brightness",
            "How far MPE's timbre (CC74) at its top tilts the notes of its channel, in dB for \
             partial 5 (the opposite at its bottom, none at 64)",
        )
    },
    // i25-scala (issue 25): partials on the scale's degrees.
    ParamSpec {
        id: "onscale",
        name: "Partials on scale",
        kind: Kind::Switch,
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key: "partials_on_scale",
            flag: Some("partials-on-scale"),
            doc: "Off: partials 2-5 keep their ratios to partial 1. On: each partial sits on the \
                  scale degree its Partial degrees setting names, counted from the note, so one \
                  key plays an in-tune cluster of the scale",
        },
    },
    partial_degree(0),
    partial_degree(1),
    partial_degree(2),
    partial_degree(3),
    partial_degree(4),
    // ---- i24-width: where the sound sits in the stereo field ----
    pan(0),
    pan(1),
    pan(2),
    pan(3),
    pan(4),
    ParamSpec {
        id: "unison",
        name: "Unison",
        kind: Kind::Int {
            min: 1,
            max: MAX_UNISON as i32,
            unit: "",
            names: &[],
        },
        default: 1.0,
        before_it_existed: Some(1.0),
        modulated: None,
        offered: Offered::Alone {
            key: "unison",
            flag: Some("unison"),
            doc: "Copies of each note, detuned and spread across the stereo field (1 = one); \
                  from the next note on. Each copy plays at 1/sqrt(copies): as loud (RMS) at \
                  any count",
        },
    },
    ParamSpec {
        id: "udetune",
        name: "Unison detune",
        kind: Kind::Int {
            min: 0,
            max: MAX_UNISON_DETUNE_CENTS,
            unit: " ct",
            names: &[],
        },
        default: 10.0,
        before_it_existed: Some(10.0),
        modulated: Some(Modulated::UnisonDetune),
        offered: Offered::Alone {
            key: "unison_detune_cents",
            flag: Some("unison-detune"),
            doc: "How far the outermost unison copies are detuned either way, in cents (the \
                  others evenly between)",
        },
    },
    ParamSpec {
        id: "uwidth",
        name: "Unison width",
        kind: Kind::Float {
            range: FloatRange::linear(0.0, 1.0),
            step: Some(0.01),
            text: FloatText::Percent { decimals: 0 },
            smoothing_ms: Some(PAN_RAMP_MS as f32),
        },
        default: 0.5,
        before_it_existed: Some(0.5),
        modulated: Some(Modulated::UnisonWidth),
        offered: Offered::Alone {
            key: "unison_width",
            flag: Some("unison-width"),
            doc: "How far the outermost unison copies are panned either way, in % (100 = hard \
                  left and right), on top of each partial's pan",
        },
    },
];

static PANS: Family = Family {
    key: "pans",
    flag: Some("pans"),
    doc: "Where each partial sits in the stereo field, in % (-100 = hard left, 0 = centre, \
          100 = hard right; equal power, unity at the centre)",
};

/// Partial `k`'s place in the stereo field, centred by default and in old states.
const fn pan(k: usize) -> ParamSpec {
    ParamSpec {
        id: ["pan1", "pan2", "pan3", "pan4", "pan5"][k],
        name: [
            "Partial 1 pan",
            "Partial 2 pan",
            "Partial 3 pan",
            "Partial 4 pan",
            "Partial 5 pan",
        ][k],
        kind: Kind::Float {
            range: FloatRange::linear(-1.0, 1.0),
            step: Some(0.01),
            text: FloatText::Percent { decimals: 0 },
            smoothing_ms: Some(PAN_RAMP_MS as f32),
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: Some(Modulated::Pan(k)),
        offered: Offered::Partial {
            family: &PANS,
            partial: k,
        },
    }
}

/// Most scale degrees a partial may sit from its note, either way.
pub const MAX_PARTIAL_DEGREES: i32 = 64;

/// Where each partial sits by default with Partials on scale: the note, then 2, 4, 7 and 9
/// degrees up (on a seven-note scale a triad, its octave and tenth).
pub const DEFAULT_PARTIAL_DEGREES: [i32; PARTIAL_COUNT] = [0, 2, 4, 7, 9];

static PARTIAL_DEGREES: Family = Family {
    key: "partial_degrees",
    flag: Some("partial-degrees"),
    doc: "With Partials on scale: the scale degrees each partial sits above the note (whole \
          steps of the scale, below 0 under it)",
};

/// Partial `k`'s scale degree from its note, with Partials on scale.
/// Partial `k`'s scale degree from its note, with Partials on scale.
const fn partial_degree(k: usize) -> ParamSpec {
    ParamSpec {
        id: ["pdeg1", "pdeg2", "pdeg3", "pdeg4", "pdeg5"][k],
        name: [
            "Partial 1 degree",
            "Partial 2 degree",
            "Partial 3 degree",
            "Partial 4 degree",
            "Partial 5 degree",
        ][k],
        kind: Kind::Int {
            min: -MAX_PARTIAL_DEGREES,
            max: MAX_PARTIAL_DEGREES,
            unit: "",
            names: &[],
        },
        default: DEFAULT_PARTIAL_DEGREES[k] as f32,
        before_it_existed: Some(DEFAULT_PARTIAL_DEGREES[k] as f32),
        modulated: None,
        offered: Offered::Partial {
            family: &PARTIAL_DEGREES,
            partial: k,
        },
    }
}

/// The loudest full pressure makes a note, in dB.
const MAX_PRESSURE_GAIN_DB: f32 = 12.0;
/// A new instance's timbre route: CC74 (MPE's timbre, General MIDI's brightness) moves the
/// upper partials by up to 12 dB. Before it existed CC74 did nothing: 0 for old states.
const DEFAULT_TIMBRE_DB: f32 = 12.0;

/// Skew of the LFO rate slider: 1 Hz, the geometric middle of 0.05 – 20 Hz, in the middle.
const LFO_RATE_SKEW: f32 = 0.228;
/// A new instance's LFO rate, in Hz: a singer's vibrato.
const DEFAULT_LFO_RATE_HZ: f32 = 5.5;
/// The longest LFO delay or fade-in, in milliseconds.
const MAX_LFO_TIME_MS: f32 = 5_000.0;
/// The deepest vibrato either route reaches, in cents either way.
const MAX_VIBRATO_CENTS: f32 = 100.0;
/// The steepest brightness tilt a route reaches, in dB either way for partial 5.
const MAX_TILT_DB: f32 = 24.0;
/// A new instance's mod-wheel vibrato, in cents: a full wheel gives a clearly audible vibrato
/// (a fifth of a semitone either way), as on most synths. Before it existed the wheel did
/// nothing: 0 for old states.
const DEFAULT_WHEEL_VIBRATO_CENTS: f32 = 40.0;

/// An LFO time (delay, fade-in) in milliseconds, 0 by default and in old states.
const fn lfo_time(
    id: &'static str,
    name: &'static str,
    key: &'static str,
    flag: &'static str,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: FloatRange::skewed(0.0, MAX_LFO_TIME_MS, ENVELOPE_SKEW),
            step: Some(1.0),
            text: FloatText::Milliseconds { decimals: 0 },
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key,
            flag: Some(flag),
            doc,
        },
    }
}

/// A vibrato depth in cents; none in old states.
const fn cents(
    id: &'static str,
    name: &'static str,
    default: f32,
    key: &'static str,
    flag: &'static str,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: FloatRange::linear(0.0, MAX_VIBRATO_CENTS),
            step: Some(0.1),
            text: FloatText::Number {
                unit: " ct",
                decimals: 1,
            },
            smoothing_ms: None,
        },
        default,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key,
            flag: Some(flag),
            doc,
        },
    }
}

/// A brightness tilt in dB for partial 5, either way; none by default and in old states.
const fn tilt(
    id: &'static str,
    name: &'static str,
    key: &'static str,
    flag: &'static str,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: FloatRange::linear(-MAX_TILT_DB, MAX_TILT_DB),
            step: Some(0.1),
            text: FloatText::Number {
                unit: " dB",
                decimals: 1,
            },
            smoothing_ms: None,
        },
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::Alone {
            key,
            flag: Some(flag),
            doc,
        },
    }
}

const ATTACK_DOC: &str = "Envelope attack in milliseconds";
const DECAY_DOC: &str = "Envelope decay in milliseconds";
const RELEASE_DOC: &str = "Envelope release in milliseconds";

/// Partial `k`'s frequency: the drone's pitch, and in MIDI mode its ratio to partial 1.
const fn frequency(k: usize) -> ParamSpec {
    ParamSpec {
        id: ["freq1", "freq2", "freq3", "freq4", "freq5"][k],
        name: [
            "Partial 1",
            "Partial 2",
            "Partial 3",
            "Partial 4",
            "Partial 5",
        ][k],
        kind: Kind::Float {
            range: FREQUENCY_RANGE,
            step: Some(FREQUENCY_STEP_HZ),
            text: FloatText::Frequency,
            smoothing_ms: Some(GLIDE_MS as f32),
        },
        default: DEFAULT_FREQUENCIES_HZ[k] as f32,
        before_it_existed: None,
        modulated: None,
        offered: Offered::Partial {
            family: &FREQUENCIES,
            partial: k,
        },
    }
}

/// Partial `k`'s own level.
const fn level(k: usize) -> ParamSpec {
    ParamSpec {
        id: ["level1", "level2", "level3", "level4", "level5"][k],
        name: [
            "Partial 1 level",
            "Partial 2 level",
            "Partial 3 level",
            "Partial 4 level",
            "Partial 5 level",
        ][k],
        kind: gain_kind(1.0, LEVEL_SKEW, LEVEL_RAMP_MS),
        default: 1.0,
        before_it_existed: Some(1.0),
        modulated: Some(Modulated::Level(k)),
        offered: Offered::Partial {
            family: &LEVELS,
            partial: k,
        },
    }
}

/// Silences partial `k` without touching its level. Not offered to the renderer or Python: a
/// level of 0 does the same there.
const fn mute(k: usize) -> ParamSpec {
    ParamSpec {
        id: ["mute1", "mute2", "mute3", "mute4", "mute5"][k],
        name: [
            "Partial 1 mute",
            "Partial 2 mute",
            "Partial 3 mute",
            "Partial 4 mute",
            "Partial 5 mute",
        ][k],
        kind: Kind::Switch,
        default: 0.0,
        before_it_existed: Some(0.0),
        modulated: None,
        offered: Offered::No,
    }
}

/// Partial `k`'s attack time as a factor of the note's.
const fn partial_attack(k: usize) -> ParamSpec {
    let name = [
        "Partial 1 attack",
        "Partial 2 attack",
        "Partial 3 attack",
        "Partial 4 attack",
        "Partial 5 attack",
    ][k];
    let id = ["pattack1", "pattack2", "pattack3", "pattack4", "pattack5"][k];
    time_scale(id, name, &PARTIAL_ATTACKS, k)
}

/// Partial `k`'s decay and release times as a factor of the note's.
const fn partial_decay(k: usize) -> ParamSpec {
    let name = [
        "Partial 1 decay",
        "Partial 2 decay",
        "Partial 3 decay",
        "Partial 4 decay",
        "Partial 5 decay",
    ][k];
    let id = ["pdecay1", "pdecay2", "pdecay3", "pdecay4", "pdecay5"][k];
    time_scale(id, name, &PARTIAL_DECAYS, k)
}

/// Partial `k`'s sustain level as a fraction of the note's: full by default.
const fn partial_sustain(k: usize) -> ParamSpec {
    let name = [
        "Partial 1 sustain",
        "Partial 2 sustain",
        "Partial 3 sustain",
        "Partial 4 sustain",
        "Partial 5 sustain",
    ][k];
    let id = [
        "psustain1",
        "psustain2",
        "psustain3",
        "psustain4",
        "psustain5",
    ][k];
    fraction(id, name, 1.0, &PARTIAL_SUSTAINS, k)
}

/// How much of partial `k`'s level follows velocity: none by default.
const fn partial_velocity(k: usize) -> ParamSpec {
    let name = [
        "Partial 1 velocity",
        "Partial 2 velocity",
        "Partial 3 velocity",
        "Partial 4 velocity",
        "Partial 5 velocity",
    ][k];
    let id = ["pvel1", "pvel2", "pvel3", "pvel4", "pvel5"][k];
    fraction(id, name, 0.0, &PARTIAL_VELOCITIES, k)
}

/// A factor of the note's envelope times, ×1 (the note's own) by default and in old states.
const fn time_scale(
    id: &'static str,
    name: &'static str,
    family: &'static Family,
    partial: usize,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: TIME_SCALE_RANGE,
            step: Some(0.01),
            text: FloatText::Times,
            smoothing_ms: None,
        },
        default: 1.0,
        before_it_existed: Some(1.0),
        modulated: None,
        offered: Offered::Partial { family, partial },
    }
}

/// A fraction 0 ..= 1 shown in percent, `default` by default and in old states.
const fn fraction(
    id: &'static str,
    name: &'static str,
    default: f32,
    family: &'static Family,
    partial: usize,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: FloatRange::linear(0.0, 1.0),
            step: None,
            text: FloatText::Percent { decimals: 1 },
            smoothing_ms: None,
        },
        default,
        before_it_existed: Some(default),
        modulated: None,
        offered: Offered::Partial { family, partial },
    }
}

/// A linear gain from silence to `max` (1 = 0 dB), shown in dB, ramping over `ramp_ms`.
const fn gain_kind(max: f32, skew: f32, ramp_ms: f64) -> Kind {
    Kind::Float {
        range: FloatRange::skewed(0.0, max, skew),
        step: None,
        text: FloatText::Decibels,
        smoothing_ms: Some(ramp_ms as f32),
    }
}

/// An envelope time in milliseconds, 0 to [`MAX_ENVELOPE_MS`], finer at the short end.
const fn envelope_time(
    id: &'static str,
    name: &'static str,
    default_ms: f64,
    key: &'static str,
    flag: &'static str,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec {
        id,
        name,
        kind: Kind::Float {
            range: FloatRange::skewed(0.0, MAX_ENVELOPE_MS, ENVELOPE_SKEW),
            step: Some(0.1),
            text: FloatText::Milliseconds { decimals: 1 },
            smoothing_ms: None,
        },
        default: default_ms as f32,
        before_it_existed: Some(default_ms as f32),
        modulated: None,
        offered: Offered::Alone {
            key,
            flag: Some(flag),
            doc,
        },
    }
}

/// A parameter: its place in [`PARAMS`]. The constants below name the ones code refers to,
/// found by permanent id when compiling (a wrong id does not compile).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Param(u8);

impl Param {
    pub const GAIN: Param = Param::by_id("gain");
    pub const MIDI: Param = Param::by_id("midi");
    pub const MIDI_GLIDE: Param = Param::by_id("mglide");
    pub const VOICES: Param = Param::by_id("voices");
    pub const ATTACK: Param = Param::by_id("attack");
    pub const DECAY: Param = Param::by_id("decay");
    pub const SUSTAIN: Param = Param::by_id("sustain");
    pub const RELEASE: Param = Param::by_id("release");
    pub const BEND_RANGE: Param = Param::by_id("bendrng");
    /// The five frequencies, partial 1 first.
    pub const FREQUENCIES: [Param; PARTIAL_COUNT] = Param::family("freq");
    /// The five levels, partial 1 first.
    pub const LEVELS: [Param; PARTIAL_COUNT] = Param::family("level");
    /// The five mutes, partial 1 first.
    pub const MUTES: [Param; PARTIAL_COUNT] = Param::family("mute");
    /// The partials' attack time factors, partial 1 first.
    pub const PARTIAL_ATTACKS: [Param; PARTIAL_COUNT] = Param::family("pattack");
    /// The partials' decay (and release) time factors, partial 1 first.
    pub const PARTIAL_DECAYS: [Param; PARTIAL_COUNT] = Param::family("pdecay");
    /// The partials' sustain fractions, partial 1 first.
    pub const PARTIAL_SUSTAINS: [Param; PARTIAL_COUNT] = Param::family("psustain");
    /// How much of each partial follows velocity, partial 1 first.
    pub const PARTIAL_VELOCITIES: [Param; PARTIAL_COUNT] = Param::family("pvel");
    pub const KEY_TILT: Param = Param::by_id("keytilt");
    pub const MPE: Param = Param::by_id("mpe");
    pub const LFO_SHAPE: Param = Param::by_id("lfoshape");
    pub const LFO_RATE: Param = Param::by_id("lforate");
    pub const LFO_SYNC: Param = Param::by_id("lfosync");
    pub const LFO_DELAY: Param = Param::by_id("lfodelay");
    pub const LFO_FADE: Param = Param::by_id("lfofade");
    pub const LFO_FREE: Param = Param::by_id("lfofree");
    pub const VIBRATO: Param = Param::by_id("vibrato");
    pub const TREMOLO: Param = Param::by_id("tremolo");
    pub const LFO_BRIGHTNESS: Param = Param::by_id("lfobright");
    pub const WHEEL_VIBRATO: Param = Param::by_id("wheelvib");
    pub const PRESSURE_LEVEL: Param = Param::by_id("prslevel");
    pub const PRESSURE_BRIGHTNESS: Param = Param::by_id("prsbright");
    pub const TIMBRE_BRIGHTNESS: Param = Param::by_id("timbre");
    pub const PARTIALS_ON_SCALE: Param = Param::by_id("onscale");
    /// The scale degree each partial sits on with Partials on scale, partial 1 first.
    pub const PARTIAL_DEGREES: [Param; PARTIAL_COUNT] = Param::family("pdeg");
    /// The partials' pans, partial 1 first.
    pub const PANS: [Param; PARTIAL_COUNT] = Param::family("pan");
    pub const UNISON: Param = Param::by_id("unison");
    pub const UNISON_DETUNE: Param = Param::by_id("udetune");
    pub const UNISON_WIDTH: Param = Param::by_id("uwidth");

    /// Every parameter, in [`PARAMS`] order.
    pub const ALL: [Param; PARAM_COUNT] = {
        let mut all = [Param(0); PARAM_COUNT];
        let mut index = 0;
        while index < PARAM_COUNT {
            all[index] = Param(index as u8);
            index += 1;
        }
        all
    };

    /// Its place in [`PARAMS`].
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// Its declaration.
    pub const fn spec(self) -> &'static ParamSpec {
        &PARAMS[self.0 as usize]
    }

    /// The parameter whose permanent id is `id`, if any.
    pub fn from_id(id: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|param| param.spec().id == id)
    }

    /// The parameter with permanent id `id`; does not compile (in a constant) if there is none.
    const fn by_id(id: &str) -> Param {
        let mut index = 0;
        while index < PARAM_COUNT {
            if str_eq(PARAMS[index].id, id) {
                return Param(index as u8);
            }
            index += 1;
        }
        panic!("no parameter has this id");
    }

    /// The five parameters `prefix1` … `prefix5`.
    const fn family(prefix: &str) -> [Param; PARTIAL_COUNT] {
        let mut family = [Param(0); PARTIAL_COUNT];
        let mut k = 0;
        while k < PARTIAL_COUNT {
            let mut index = 0;
            let mut found = false;
            while index < PARAM_COUNT {
                let id = PARAMS[index].id.as_bytes();
                let prefix = prefix.as_bytes();
                if id.len() == prefix.len() + 1
                    && bytes_start_with(id, prefix)
                    && id[prefix.len()] == b'1' + k as u8
                {
                    family[k] = Param(index as u8);
                    found = true;
                }
                index += 1;
            }
            assert!(found, "a partial's parameter is missing");
            k += 1;
        }
        family
    }
}

impl Family {
    /// Its five parameters, partial 1 first.
    pub fn params(&'static self) -> [Param; PARTIAL_COUNT] {
        let mut params = [Param(0); PARTIAL_COUNT];
        let mut found = 0;
        for param in Param::ALL {
            if let Offered::Partial { family, partial } = param.spec().offered
                && std::ptr::eq(family, self)
            {
                params[partial] = param;
                found += 1;
            }
        }
        assert_eq!(
            found, PARTIAL_COUNT,
            "{} has a parameter per partial",
            self.key
        );
        params
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bytes_start_with(a.as_bytes(), b.as_bytes())
}

const fn bytes_start_with(bytes: &[u8], prefix: &[u8]) -> bool {
    if bytes.len() < prefix.len() {
        return false;
    }
    let mut index = 0;
    while index < prefix.len() {
        if bytes[index] != prefix[index] {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_GAIN_DB;
    use crate::params::gain_text;
    use std::collections::BTreeSet;

    #[test]
    fn ids_names_and_keys_are_unique() {
        let ids: BTreeSet<_> = PARAMS.iter().map(|spec| spec.id).collect();
        let names: BTreeSet<_> = PARAMS.iter().map(|spec| spec.name).collect();
        let keys: BTreeSet<_> = PARAMS.iter().filter_map(ParamSpec::key).collect();
        assert_eq!(ids.len(), PARAM_COUNT);
        assert_eq!(names.len(), PARAM_COUNT);
        let offered = PARAMS
            .iter()
            .filter(|spec| !matches!(spec.offered, Offered::No))
            .count();
        assert_eq!(keys.len(), offered);
    }

    #[test]
    fn every_default_and_old_value_is_one_the_parameter_holds() {
        for spec in &PARAMS {
            let default = f64::from(spec.default);
            assert_eq!(spec.check(default).ok(), Some(default), "{}", spec.id);
            if let Some(old) = spec.before_it_existed {
                assert!(spec.check(f64::from(old)).is_ok(), "{}", spec.id);
            }
            if let Kind::Float { range, .. } = spec.kind {
                assert!(range.min < range.max, "{}", spec.id);
            }
        }
    }

    #[test]
    fn the_named_parameters_are_the_ones_their_constants_say() {
        assert_eq!(Param::GAIN.spec().name, "Gain");
        assert_eq!(
            Param::FREQUENCIES.map(|p| p.spec().id),
            ["freq1", "freq2", "freq3", "freq4", "freq5"]
        );
        assert_eq!(Param::MUTES[4].spec().id, "mute5");
        assert_eq!(Param::from_id("bendrng"), Some(Param::BEND_RANGE));
        assert_eq!(Param::from_id("nope"), None);
        for (index, param) in Param::ALL.into_iter().enumerate() {
            assert_eq!(param.index(), index);
        }
    }

    #[test]
    fn values_out_of_range_are_refused_and_clamped() {
        let voices = Param::VOICES.spec();
        assert!(voices.check(2.5).is_err());
        assert!(voices.check(0.0).is_err());
        assert!(voices.check(f64::NAN).is_err());
        assert_eq!(voices.clamp(2.6), 3.0);
        assert_eq!(voices.clamp(f64::NAN), f64::from(DEFAULT_VOICES as u32));
        let bend = Param::BEND_RANGE.spec();
        assert!(bend.check(2.5).is_err(), "whole semitones");
        assert_eq!(bend.check(96.0).ok(), Some(96.0));
        let attack = Param::ATTACK.spec();
        assert_eq!(
            attack.check(20_000.0).unwrap_err().to_string(),
            "attack_ms must be from 0 to 10000 ms, got 20000"
        );
        let frequency = Param::FREQUENCIES[1].spec();
        assert_eq!(
            frequency.check(10.0).unwrap_err().to_string(),
            "frequencies[1] must be from 20 Hz to 20.00 kHz, got 10"
        );
        assert_eq!(Param::MIDI.spec().clamp(0.7), 1.0);
        assert_eq!(
            Param::LEVELS[2].spec().check(1.5).unwrap_err().to_string(),
            "levels[2] must be from -inf to 0 dB, got 1.5"
        );
    }

    #[test]
    fn plain_units_and_host_positions() {
        assert_eq!(Param::FREQUENCIES[0].spec().plain_unit(), " Hz");
        assert_eq!(Param::GAIN.spec().plain_unit(), "");
        assert_eq!(Param::BEND_RANGE.spec().plain_unit(), " st");
        let voices = Param::VOICES.spec();
        assert_eq!(voices.normalize(1.0), 0.0);
        assert_eq!(voices.normalize(16.0), 1.0);
        assert_eq!(voices.normalize(4.0), 0.2);
        let frequency = Param::FREQUENCIES[0].spec();
        assert_eq!(frequency.normalize(20.0), 0.0);
        assert_eq!(frequency.normalize(20_000.0), 1.0);
        assert_eq!(Param::MIDI.spec().normalize(1.0), 1.0);
    }

    #[test]
    fn texts_read_and_parse_through_the_declaration() {
        let sustain = Param::SUSTAIN.spec();
        assert_eq!(sustain.value_to_text(0.5), "50.0");
        assert_eq!(sustain.unit(), " %");
        assert_eq!(sustain.text_to_value("25"), Some(0.25));
        let bend = Param::BEND_RANGE.spec();
        assert_eq!(bend.text_to_value("12 st"), Some(12.0));
        assert_eq!(bend.value_to_text(12.0), "12");
        assert_eq!(
            Param::FREQUENCIES[0].spec().text_to_value("A4"),
            Some(440.0)
        );
        assert_eq!(Param::GAIN.spec().text_to_value("-inf"), Some(0.0));
    }

    /// Issue 23: the gain stopped at 0 dB, so a quiet patch could not be turned up.
    #[test]
    fn the_gain_reaches_plus_12_db_and_reads_with_its_sign() {
        let gain = Param::GAIN.spec();
        let top = gain_text::db_to_gain(MAX_GAIN_DB);
        assert_eq!(gain.bounds().1, f64::from(top));
        assert_eq!(gain.text_to_value("+12"), Some(top));
        assert_eq!(gain.check(f64::from(top)).ok(), Some(f64::from(top)));
        assert_eq!(gain.value_to_text(2.0), "+6.0");
        assert_eq!(gain.value_to_text(top), "+12.0");
        assert_eq!(
            gain.text_to_value("+6.0 dB"),
            Some(gain_text::db_to_gain(6.0))
        );
        assert_eq!(
            gain.check(5.0).unwrap_err().to_string(),
            "gain must be from -inf to +12 dB, got 5"
        );
        // 0 dB, the default, sits where a slider from −60 to +12 dB puts it.
        assert!(
            (gain.normalize(1.0) - 0.794).abs() < 1e-3,
            "{}",
            gain.normalize(1.0)
        );
    }

    #[test]
    fn a_partials_time_scale_is_times_one_in_the_middle_of_its_slider() {
        let attack = Param::PARTIAL_ATTACKS[2].spec();
        assert_eq!(attack.name, "Partial 3 attack");
        assert_eq!(attack.unnormalize(0.5), 1.0);
        assert!((attack.normalize(1.0) - 0.5).abs() < 1e-6);
        assert_eq!(attack.unnormalize(0.0), 0.1);
        assert_eq!(attack.unnormalize(1.0), 10.0);
        assert_eq!(attack.value_to_text(0.5), "×0.50");
        assert_eq!(attack.range_text(), "×0.10 to ×10.00");
        assert_eq!(Param::PARTIAL_DECAYS[0].spec().id, "pdecay1");
        assert_eq!(PARTIAL_DECAYS.params(), Param::PARTIAL_DECAYS);
        assert_eq!(Param::PARTIAL_SUSTAINS[4].spec().default, 1.0);
        assert_eq!(Param::PARTIAL_VELOCITIES[4].spec().default, 0.0);
        let tilt = Param::KEY_TILT.spec();
        assert_eq!(tilt.range_text(), "-12 to 12 dB/oct");
        assert_eq!(tilt.text_to_value("-6 dB/oct"), Some(-6.0));
    }
}
