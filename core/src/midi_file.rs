//! Standard MIDI Files read into engine events at sample positions, for rendering a song offline.
//!
//! The file is parsed by `midly` (built with its `strict` feature, so a damaged file is refused
//! instead of being silently cut short). Every track's channel messages become [`NoteInput`]s,
//! merged by absolute tick in file order, and every tick is turned into seconds through the
//! song's tempo map (or its SMPTE rate), then into a sample at the caller's rate. The song ends
//! at its End of Track, the latest of its tracks' ends, which releases every note still held.
//!
//! The reader never trusts the file: each way a file can be broken or hostile (not a MIDI file,
//! truncated, a tempo of 0, a timing that makes no sense, a song of days, tens of millions of
//! events) ends in a [`MidiFileError`] that says what is wrong, never in a panic or an unbounded
//! allocation.

mod held_at_end;

use std::fmt;

use midly::{Format, Fps, MetaMessage, MidiMessage, Timing, TrackEventKind, TrackIter};

use crate::engine::pitch::wheel_position;
use crate::engine::{Channel, Expression, NoteInput, NoteMatch, NoteRef};
use held_at_end::HeldAtEnd;

/// Most engine events (plus tempo changes) a song may hold: far more than any real performance,
/// few enough that the events of a hostile file stay within a few hundred MB.
pub const MAX_EVENTS: usize = 10_000_000;

/// Bytes of a Standard MIDI File's header chunk: `MThd`, its length (6), then the format, the
/// track count and the timing, 2 bytes each. [`check_header`] reads no more.
pub const HEADER_BYTES: usize = 14;

/// Largest MIDI file read, in bytes (see [`crate::limits::MAX_MIDI_FILE_BYTES`]).
pub use crate::limits::MAX_MIDI_FILE_BYTES as MAX_FILE_BYTES;

/// The tempo a metrical file plays at until its first tempo event: 500 000 µs per quarter note,
/// 120 BPM (the SMF specification's default).
const DEFAULT_MICROS_PER_BEAT: u32 = 500_000;

/// One event at its sample, counted from the start of the song (sample 0 = time 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimedInput {
    /// Samples from the start of the song, at the rate the song was read for.
    pub sample: u64,
    pub input: NoteInput,
}

/// A tempo change at its sample: from there on a quarter note lasts 60 / `tempo_bpm` seconds
/// (what a synced LFO follows, as it follows a host's tempo).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimedTempo {
    /// Samples from the start of the song, at the rate the song was read for.
    pub sample: u64,
    /// Beats (quarter notes) per minute.
    pub tempo_bpm: f64,
}

/// A MIDI file's performance, ready to play at one sample rate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Song {
    /// The events in playing order: by sample, and in file order at equal samples (within a
    /// track the order of the track, across tracks the lower track first).
    pub events: Vec<TimedInput>,
    /// The file's tempo changes in order, each at its sample (none: 120 BPM throughout, the
    /// specification's default). A player hands each to the engine before the events at its
    /// sample, as a host's transport tells the plugin its tempo at the start of a block. A
    /// file with SMPTE timing has its tempo events here too: they do not place its events, but
    /// they still say the music's tempo.
    pub tempos: Vec<TimedTempo>,
    /// Sample of the End of Track (of the track that ends last; 0 for an empty song). Every note
    /// still held there, by its key or the sustain pedal, is released there by the last events
    /// ("all notes off" on its channel), so a render that adds the release time ends in silence.
    pub end_sample: u64,
}

/// Why a MIDI file could not be read. `Display` gives a message meant for a person.
#[derive(Clone, Debug)]
pub enum MidiFileError {
    /// The sample rate asked for, in Hz, is not a finite positive number.
    BadSampleRate(f64),
    /// The length limit asked for, in seconds, is NaN or negative.
    BadLengthLimit(f64),
    /// The bytes are not a Standard MIDI File at all: they do not start with an `MThd` header
    /// (an empty file, another format).
    NotMidi,
    /// The file starts with `MThd` but its header chunk is shorter than the 6 bytes it must hold,
    /// or the file ends inside it.
    ShortHeader,
    /// A RIFF file: MIDI wrapped in RIFF ("RMID") is not read, only the bare file it wraps.
    Rmid,
    /// The file starts as a MIDI file but is damaged: truncated, or with malformed chunks or
    /// events.
    Damaged(midly::Error),
    /// A header's SMPTE frame rate (frames per second) is not one of 24, 25, 29.97 or 30.
    BadSmpteRate(i16),
    /// The header announces a different number of tracks than the file holds (a file cut at a
    /// chunk boundary holds fewer).
    TrackCount { announced: usize, found: usize },
    /// A type 2 file: its tracks are separate songs played one after the other, which this
    /// reader does not support.
    Sequential,
    /// Metrical timing with 0 ticks per quarter note: no tick has a length.
    ZeroTicksPerBeat,
    /// SMPTE timing with 0 ticks (subframes) per frame: no tick has a length.
    ZeroSubframes,
    /// A tempo event of 0 µs per quarter note, at absolute `tick` of `track` (0-based).
    ZeroTempo { track: usize, tick: u64 },
    /// A tempo event whose data is not the 3 bytes a tempo takes.
    ShortTempo { track: usize, tick: u64 },
    /// The song ends (End of Track) after `seconds` (of the performance), more than the
    /// `max_seconds` allowed.
    TooLong { seconds: f64, max_seconds: f64 },
    /// The file holds more than `max` events that would be kept.
    TooManyEvents { max: usize },
}

impl fmt::Display for MidiFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadSampleRate(hz) => {
                write!(f, "the sample rate {hz} Hz is not a positive number")
            }
            Self::BadLengthLimit(seconds) => {
                write!(f, "the length limit {seconds} s is not a number of seconds")
            }
            Self::NotMidi => write!(
                f,
                "not a Standard MIDI File: it does not start with an \"MThd\" header"
            ),
            Self::ShortHeader => write!(
                f,
                "damaged MIDI file: its \"MThd\" header is shorter than the 6 bytes it holds"
            ),
            Self::Rmid => write!(
                f,
                "not a Standard MIDI File: a RIFF (RMID) file; extract the MIDI file it wraps"
            ),
            Self::Damaged(e) => write!(f, "damaged MIDI file: {}", chain(e)),
            Self::BadSmpteRate(fps) => write!(
                f,
                "damaged MIDI file: SMPTE timing at {fps} frames per second \
                 (only 24, 25, 29.97 and 30 exist)"
            ),
            Self::TrackCount { announced, found } => write!(
                f,
                "damaged MIDI file: the header announces {announced} tracks but the file holds \
                 {found} (is it cut short?)"
            ),
            Self::Sequential => write!(
                f,
                "type 2 (sequential) MIDI files are not supported, only types 0 and 1"
            ),
            Self::ZeroTicksPerBeat => {
                write!(f, "damaged MIDI file: timing of 0 ticks per quarter note")
            }
            Self::ZeroSubframes => {
                write!(f, "damaged MIDI file: SMPTE timing of 0 ticks per frame")
            }
            Self::ZeroTempo { track, tick } => write!(
                f,
                "damaged MIDI file: tempo of 0 µs per quarter note in track {track} at tick {tick}"
            ),
            Self::ShortTempo { track, tick } => write!(
                f,
                "damaged MIDI file: tempo event without its 3 data bytes in track {track} at \
                 tick {tick}"
            ),
            Self::TooLong {
                seconds,
                max_seconds,
            } => write!(
                f,
                "the song lasts {seconds:.1} s ({:.1} hours), longer than the {max_seconds} s \
                 allowed",
                seconds / 3600.0
            ),
            Self::TooManyEvents { max } => {
                write!(f, "the MIDI file holds more than {max} events")
            }
        }
    }
}

impl std::error::Error for MidiFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Damaged(e) => Some(e),
            _ => None,
        }
    }
}

/// `midly`'s error messages from the outermost context to the root cause, joined by ": " (its
/// `Display` shows only the outermost, e.g. "malformed event"; the causes exist in debug builds).
fn chain(e: &midly::Error) -> String {
    let mut text = e.kind().message().to_owned();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(c.kind().message());
        cause = c.source();
    }
    text
}

/// Reads the Standard MIDI File `bytes` (type 0 or 1) into the events it plays, at
/// `sample_rate_hz` samples per second. The song may last at most `max_seconds` seconds (to its
/// last event; `f64::INFINITY` for no limit) and hold at most [`MAX_EVENTS`] events.
pub fn read_song(
    bytes: &[u8],
    sample_rate_hz: f64,
    max_seconds: f64,
) -> Result<Song, MidiFileError> {
    read_song_within(
        bytes,
        sample_rate_hz,
        Limits {
            max_seconds,
            max_events: MAX_EVENTS,
        },
    )
}

/// How much of a song the reader accepts.
#[derive(Clone, Copy, Debug)]
struct Limits {
    /// Latest time of the last event, in seconds.
    max_seconds: f64,
    /// Most engine events plus tempo changes.
    max_events: usize,
}

/// [`read_song`] with every limit given (the tests lower the event count).
fn read_song_within(
    bytes: &[u8],
    sample_rate_hz: f64,
    limits: Limits,
) -> Result<Song, MidiFileError> {
    check_arguments(sample_rate_hz, limits.max_seconds)?;
    let (header, tracks) = parse(bytes)?;
    if header.format == Format::Sequential {
        return Err(MidiFileError::Sequential);
    }
    let base = TimeBase::new(header.timing)?;
    let mut score = read_tracks(tracks, limits.max_events)?;
    score.sort();
    score.release_held_notes_at_end();
    let tempos = place_tempos(&score.tempos, base, sample_rate_hz);
    let clock = Clock::new(base, &score.tempos);
    let (events, end_seconds) = place(score.inputs, score.end_tick, clock, sample_rate_hz);
    if end_seconds > limits.max_seconds {
        return Err(MidiFileError::TooLong {
            seconds: end_seconds,
            max_seconds: limits.max_seconds,
        });
    }
    let end_sample = sample_at(end_seconds, sample_rate_hz);
    Ok(Song {
        events,
        tempos,
        end_sample,
    })
}

/// Refuses a sample rate (Hz) that is not finite and positive, and a length limit (s) that is
/// NaN or negative.
fn check_arguments(sample_rate_hz: f64, max_seconds: f64) -> Result<(), MidiFileError> {
    if !(sample_rate_hz.is_finite() && sample_rate_hz > 0.0) {
        return Err(MidiFileError::BadSampleRate(sample_rate_hz));
    }
    if max_seconds.is_nan() || max_seconds < 0.0 {
        return Err(MidiFileError::BadLengthLimit(max_seconds));
    }
    Ok(())
}

/// Whether `head`, a file's first [`HEADER_BYTES`] (or all of it, if shorter), starts a
/// Standard MIDI File: `MThd` and a header chunk of at least 6 bytes (the specification's 6; a
/// longer one is allowed, as the specification asks readers to skip what they do not know).
/// A file reader checks this before reading the rest of a file that may be anything.
pub fn check_header(head: &[u8]) -> Result<(), MidiFileError> {
    if head.starts_with(b"RIFF") {
        return Err(MidiFileError::Rmid);
    }
    if !head.starts_with(b"MThd") {
        return Err(MidiFileError::NotMidi);
    }
    let length = head
        .get(4..8)
        .map(|len| u32::from_be_bytes([len[0], len[1], len[2], len[3]]));
    if length.is_none_or(|len| len < 6) || head.len() < HEADER_BYTES {
        return Err(MidiFileError::ShortHeader);
    }
    Ok(())
}

/// The file's header and its (lazily parsed) tracks, or why the file is not one.
fn parse(bytes: &[u8]) -> Result<(midly::Header, TrackIter<'_>), MidiFileError> {
    check_header(&bytes[..bytes.len().min(HEADER_BYTES)])?;
    check_smpte_rates(bytes)?;
    midly::parse(bytes).map_err(MidiFileError::Damaged)
}

/// Refuses any header chunk (the first, or a stray one later) whose SMPTE frame rate is not
/// one `midly` knows, before `midly` reads it: it negates the rate byte as an `i8`, which
/// overflows for 0x80 (a panic where overflow checks are on, as in debug builds).
fn check_smpte_rates(bytes: &[u8]) -> Result<(), MidiFileError> {
    let mut rest = bytes;
    while let Some((head, body)) = rest.split_first_chunk::<8>() {
        let len = u32::from_be_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let (data, after) = body.split_at(len.min(body.len()));
        let is_header = head.starts_with(b"MThd");
        let division_high = if is_header {
            data.get(4).copied()
        } else {
            None
        };
        if let Some(fps) = division_high.and_then(bad_smpte_rate) {
            return Err(MidiFileError::BadSmpteRate(fps));
        }
        rest = after;
    }
    Ok(())
}

/// The frame rate named by the high byte of a header's division word if it is SMPTE timing at
/// a rate other than 24, 25, 29 (29.97) or 30 frames per second.
fn bad_smpte_rate(division_high: u8) -> Option<i16> {
    let timecode = division_high & 0x80 != 0;
    let fps = -i16::from(division_high as i8);
    (timecode && !matches!(fps, 24 | 25 | 29 | 30)).then_some(fps)
}

/// How ticks measure time: what one tick is worth in integer time units, and how many units make
/// a second. Integers keep tempo segments exact however long the song.
#[derive(Clone, Copy, Debug)]
enum TimeBase {
    /// Ticks per quarter note: a tick is worth the tempo (µs per quarter note) in units of
    /// 1 / (ticks per quarter × 10⁶) s.
    Metrical { ticks_per_beat: u16 },
    /// SMPTE: a tick is worth `units_per_tick` units, `units_per_second` of them a second
    /// (29.97 fps counts 1001 units a tick, 30000 × ticks per frame a second).
    Timecode {
        units_per_tick: u32,
        units_per_second: u32,
    },
}

impl TimeBase {
    /// The time base of a header's timing, refusing one where a tick has no length.
    fn new(timing: Timing) -> Result<Self, MidiFileError> {
        match timing {
            Timing::Metrical(ticks) if ticks.as_int() == 0 => Err(MidiFileError::ZeroTicksPerBeat),
            Timing::Metrical(ticks) => Ok(Self::Metrical {
                ticks_per_beat: ticks.as_int(),
            }),
            Timing::Timecode(_, 0) => Err(MidiFileError::ZeroSubframes),
            Timing::Timecode(fps, subframes) => Ok(Self::timecode(fps, u32::from(subframes))),
        }
    }

    /// SMPTE timing at `fps` with `subframes` ticks per frame; 29.97 ("30 drop-frame") is
    /// exactly 30000/1001 frames per second.
    fn timecode(fps: Fps, subframes: u32) -> Self {
        let (units_per_tick, frames) = match fps {
            Fps::Fps29 => (1001, 30_000),
            other => (1, u32::from(other.as_int())),
        };
        Self::Timecode {
            units_per_tick,
            units_per_second: frames * subframes,
        }
    }

    /// Time units in a second.
    fn units_per_second(self) -> f64 {
        match self {
            Self::Metrical { ticks_per_beat } => f64::from(ticks_per_beat) * 1e6,
            Self::Timecode {
                units_per_second, ..
            } => f64::from(units_per_second),
        }
    }
}

/// A tempo event: from absolute `tick` on, a quarter note lasts `micros_per_beat` µs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TempoChange {
    tick: u64,
    micros_per_beat: u32,
}

/// An engine event at its absolute tick, before the tempo map places it in time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TickedInput {
    tick: u64,
    input: NoteInput,
}

/// What the tracks hold that matters for playing: their engine events and the tempo map, each in
/// track order (track 0's, then track 1's, …), and where the song ends.
#[derive(Debug, Default)]
struct Score {
    inputs: Vec<TickedInput>,
    tempos: Vec<TempoChange>,
    /// The tick of the last track's end (its End of Track, the last event of a track).
    end_tick: u64,
}

impl Score {
    /// Merges the tracks by absolute tick. The sort is stable, so at equal ticks the file order
    /// stays: a track's own order, and the lower track first.
    fn sort(&mut self) {
        self.inputs.sort_by_key(|e| e.tick);
        self.tempos.sort_by_key(|t| t.tick);
    }

    fn len(&self) -> usize {
        self.inputs.len() + self.tempos.len()
    }

    /// Releases at the song's end every note the sorted inputs leave held (see
    /// `held_at_end.rs`).
    fn release_held_notes_at_end(&mut self) {
        let held = HeldAtEnd::after(self.inputs.iter().map(|e| &e.input));
        let tick = self.end_tick;
        let releases = held.releases().map(|input| TickedInput { tick, input });
        self.inputs.extend(releases);
    }
}

/// Reads every track's events into a [`Score`], refusing a damaged track, a bad tempo, more than
/// `max_events` kept events, or a track count other than the header's.
fn read_tracks(tracks: TrackIter<'_>, max_events: usize) -> Result<Score, MidiFileError> {
    // Before the first track is read, `midly` gives the header's track count as the size hint.
    let announced = tracks.size_hint().0;
    let mut score = Score::default();
    let mut found = 0;
    for (index, track) in tracks.enumerate() {
        let events = track.map_err(MidiFileError::Damaged)?;
        read_track(index, events, &mut score, max_events)?;
        found += 1;
    }
    if found != announced {
        return Err(MidiFileError::TrackCount { announced, found });
    }
    Ok(score)
}

/// Adds the events of track number `track` to `score`, at their absolute ticks.
fn read_track(
    track: usize,
    events: midly::EventIter<'_>,
    score: &mut Score,
    max_events: usize,
) -> Result<(), MidiFileError> {
    let mut tick: u64 = 0;
    for event in events {
        let event = event.map_err(MidiFileError::Damaged)?;
        tick = tick.saturating_add(u64::from(event.delta.as_int()));
        match event.kind {
            TrackEventKind::Midi { channel, message } => {
                if let Some(input) = engine_input(channel.as_int(), message) {
                    check_room(score, max_events)?;
                    score.inputs.push(TickedInput { tick, input });
                }
            }
            TrackEventKind::Meta(meta) => {
                if let Some(micros_per_beat) = tempo(meta, track, tick)? {
                    check_room(score, max_events)?;
                    score.tempos.push(TempoChange {
                        tick,
                        micros_per_beat,
                    });
                }
            }
            TrackEventKind::SysEx(_) | TrackEventKind::Escape(_) => {}
        }
    }
    score.end_tick = score.end_tick.max(tick);
    Ok(())
}

/// Refuses one more event once `score` holds `max_events`.
fn check_room(score: &Score, max_events: usize) -> Result<(), MidiFileError> {
    if score.len() >= max_events {
        return Err(MidiFileError::TooManyEvents { max: max_events });
    }
    Ok(())
}

/// The µs per quarter note of a tempo event (`None` for other meta events), refusing a tempo
/// of 0 and a tempo event too short to hold one (`midly` reads that as an unknown meta event).
fn tempo(meta: MetaMessage<'_>, track: usize, tick: u64) -> Result<Option<u32>, MidiFileError> {
    match meta {
        MetaMessage::Tempo(t) if t.as_int() == 0 => Err(MidiFileError::ZeroTempo { track, tick }),
        MetaMessage::Tempo(t) => Ok(Some(t.as_int())),
        MetaMessage::Unknown(0x51, _) => Err(MidiFileError::ShortTempo { track, tick }),
        _ => Ok(None),
    }
}

/// The engine event a channel message on `channel` makes, if the engine has one for it: notes,
/// controllers, pitch bend, channel pressure and polyphonic aftertouch. Program changes are
/// dropped.
fn engine_input(channel: Channel, message: MidiMessage) -> Option<NoteInput> {
    match message {
        MidiMessage::NoteOn { key, vel } if vel.as_int() == 0 => Some(note_off(channel, key)),
        MidiMessage::NoteOn { key, vel } => Some(NoteInput::NoteOn {
            note: NoteRef::without_id(channel, key.as_int()),
            velocity: unit_7bit(vel.as_int()),
        }),
        MidiMessage::NoteOff { key, .. } => Some(note_off(channel, key)),
        MidiMessage::Controller { controller, value } => Some(NoteInput::ControlChange {
            channel,
            controller: controller.as_int(),
            value: unit_7bit(value.as_int()),
        }),
        MidiMessage::PitchBend { bend } => Some(NoteInput::PitchBend {
            channel,
            position: wheel_position(bend.0.as_int()),
        }),
        MidiMessage::ChannelAftertouch { vel } => Some(NoteInput::ChannelPressure {
            channel,
            pressure: unit_7bit(vel.as_int()),
        }),
        MidiMessage::Aftertouch { key, vel } => Some(NoteInput::Expression {
            target: NoteMatch::key(channel, key.as_int()),
            kind: Expression::Pressure,
            value: unit_7bit(vel.as_int()),
        }),
        MidiMessage::ProgramChange { .. } => None,
    }
}

/// The key of `channel` let go (a note-off, or a note-on of velocity 0).
fn note_off(channel: Channel, key: midly::num::u7) -> NoteInput {
    NoteInput::NoteOff {
        target: NoteMatch::key(channel, key.as_int()),
    }
}

/// A 7-bit MIDI value (0 ..= 127) as 0 ..= 1.
fn unit_7bit(value: u8) -> f32 {
    f32::from(value) / 127.0
}

/// Walks the tempo map forward, turning non-decreasing absolute ticks into seconds. Time is kept
/// as an exact integer count of units (ticks × µs per quarter for metrical files), so no error
/// builds up over a long song; only the one division to seconds rounds.
#[derive(Debug)]
struct Clock<'a> {
    /// Tempo changes not yet reached, by tick (ignored, so empty, for SMPTE timing).
    tempos: &'a [TempoChange],
    /// The tick the clock stands at.
    tick: u64,
    /// Time at `tick`, in units.
    units: u128,
    /// Units one tick is worth from `tick` on.
    units_per_tick: u128,
    units_per_second: f64,
}

impl<'a> Clock<'a> {
    /// A clock at tick 0 for `base`, following `tempos` (sorted by tick) if the timing is
    /// metrical.
    fn new(base: TimeBase, tempos: &'a [TempoChange]) -> Self {
        let (tempos, units_per_tick) = match base {
            TimeBase::Metrical { .. } => (tempos, u128::from(DEFAULT_MICROS_PER_BEAT)),
            TimeBase::Timecode { units_per_tick, .. } => (&[][..], u128::from(units_per_tick)),
        };
        Self {
            tempos,
            tick: 0,
            units: 0,
            units_per_tick,
            units_per_second: base.units_per_second(),
        }
    }

    /// Seconds from the start of the song to `tick`, which must not be before the last tick
    /// asked for. Tempo changes at or before `tick` apply first.
    fn seconds_at(&mut self, tick: u64) -> f64 {
        while let Some((change, rest)) = self.tempos.split_first() {
            if change.tick > tick {
                break;
            }
            self.advance_to(change.tick);
            self.units_per_tick = u128::from(change.micros_per_beat);
            self.tempos = rest;
        }
        self.advance_to(tick);
        self.units as f64 / self.units_per_second
    }

    /// Moves the clock to `tick` at the current tempo.
    fn advance_to(&mut self, tick: u64) {
        let ticks = u128::from(tick.saturating_sub(self.tick));
        self.units = self
            .units
            .saturating_add(ticks.saturating_mul(self.units_per_tick));
        self.tick = self.tick.max(tick);
    }
}

/// Places the sorted `inputs` at their samples (`sample_rate_hz` per second), returning them and
/// the time of `end_tick` (not before any of them) in seconds.
fn place(
    inputs: Vec<TickedInput>,
    end_tick: u64,
    mut clock: Clock<'_>,
    sample_rate_hz: f64,
) -> (Vec<TimedInput>, f64) {
    let events = inputs
        .into_iter()
        .map(|e| TimedInput {
            sample: sample_at(clock.seconds_at(e.tick), sample_rate_hz),
            input: e.input,
        })
        .collect();
    (events, clock.seconds_at(end_tick))
}

/// The sorted `tempos` at their samples (`sample_rate_hz` per second), in beats per minute.
fn place_tempos(tempos: &[TempoChange], base: TimeBase, sample_rate_hz: f64) -> Vec<TimedTempo> {
    let mut clock = Clock::new(base, tempos);
    (tempos.iter())
        .map(|change| TimedTempo {
            sample: sample_at(clock.seconds_at(change.tick), sample_rate_hz),
            tempo_bpm: 60e6 / f64::from(change.micros_per_beat),
        })
        .collect()
}

/// The sample nearest `seconds` at `sample_rate_hz` (a float-to-int cast saturates, so an
/// absurd time cannot wrap; the length check refuses it anyway).
fn sample_at(seconds: f64, sample_rate_hz: f64) -> u64 {
    (seconds * sample_rate_hz).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use midly::num::{u4, u7, u14, u15, u24, u28};
    use midly::{Header, PitchBend, Smf, TrackEvent};

    const RATE: f64 = 48_000.0;
    const LIMIT: f64 = 3600.0;

    fn event(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
        TrackEvent {
            delta: u28::new(delta),
            kind,
        }
    }

    fn midi(channel: u8, message: MidiMessage) -> TrackEventKind<'static> {
        TrackEventKind::Midi {
            channel: u4::new(channel),
            message,
        }
    }

    fn on(delta: u32, key: u8, vel: u8) -> TrackEvent<'static> {
        let (key, vel) = (u7::new(key), u7::new(vel));
        event(delta, midi(0, MidiMessage::NoteOn { key, vel }))
    }

    fn off(delta: u32, key: u8) -> TrackEvent<'static> {
        let (key, vel) = (u7::new(key), u7::new(64));
        event(delta, midi(0, MidiMessage::NoteOff { key, vel }))
    }

    fn tempo_event(delta: u32, micros_per_beat: u32) -> TrackEvent<'static> {
        let meta = MetaMessage::Tempo(u24::new(micros_per_beat));
        event(delta, TrackEventKind::Meta(meta))
    }

    fn end_of_track() -> TrackEvent<'static> {
        event(0, TrackEventKind::Meta(MetaMessage::EndOfTrack))
    }

    fn file(format: Format, timing: Timing, tracks: Vec<Vec<TrackEvent<'static>>>) -> Vec<u8> {
        let mut smf = Smf::new(Header::new(format, timing));
        smf.tracks = tracks;
        let mut bytes = Vec::new();
        smf.write_std(&mut bytes).unwrap();
        bytes
    }

    fn type0(ticks_per_beat: u16, track: Vec<TrackEvent<'static>>) -> Vec<u8> {
        let timing = Timing::Metrical(u15::new(ticks_per_beat));
        file(Format::SingleTrack, timing, vec![track])
    }

    fn samples(song: &Song) -> Vec<u64> {
        song.events.iter().map(|e| e.sample).collect()
    }

    fn message(result: Result<Song, MidiFileError>) -> String {
        result.expect_err("the file should be refused").to_string()
    }

    #[test]
    fn type0_notes_land_on_exact_samples_at_120_bpm() {
        // 480 ticks per quarter at the default 120 BPM: a quarter is 0.5 s, 24 000 samples.
        let bytes = type0(
            480,
            vec![on(0, 60, 127), off(480, 60), on(240, 64, 64), off(1, 64)],
        );
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        assert_eq!(samples(&song), [0, 24_000, 36_000, 36_050]);
        assert_eq!(song.end_sample, 36_050);
        let first = NoteInput::NoteOn {
            note: NoteRef::without_id(0, 60),
            velocity: 1.0,
        };
        assert_eq!(song.events[0].input, first);
        let release = NoteInput::NoteOff {
            target: NoteMatch::key(0, 60),
        };
        assert_eq!(song.events[1].input, release);
    }

    /// Issue 21, item 14: a note still held at End of Track ended the song at its note-on (a
    /// file holding one note 2 s rendered 0.12 s, cut off with a step).
    #[test]
    fn the_song_ends_at_end_of_track_releasing_the_notes_still_held() {
        // 480 ticks per quarter at 120 BPM: End of Track at tick 1920 is 2 s, sample 96 000.
        let end = event(1440, TrackEventKind::Meta(MetaMessage::EndOfTrack));
        let held = type0(480, vec![on(0, 60, 127), on(0, 64, 127), off(480, 64), end]);
        let song = read_song(&held, RATE, LIMIT).unwrap();
        assert_eq!(song.end_sample, 96_000);
        let all_notes_off = NoteInput::ControlChange {
            channel: 0,
            controller: 123,
            value: 0.0,
        };
        let last = TimedInput {
            sample: 96_000,
            input: all_notes_off,
        };
        assert_eq!(song.events.last(), Some(&last));
        assert_eq!(samples(&song), [0, 0, 24_000, 96_000]);
        // Every key up at the end: nothing to release, but the song still lasts to its end.
        let end = event(1440, TrackEventKind::Meta(MetaMessage::EndOfTrack));
        let released = type0(480, vec![on(0, 60, 127), off(480, 60), end]);
        let song = read_song(&released, RATE, LIMIT).unwrap();
        assert_eq!((samples(&song), song.end_sample), (vec![0, 24_000], 96_000));
    }

    #[test]
    fn type1_tempo_change_in_track_0_retimes_the_notes_of_track_1() {
        // 96 ticks per quarter; at tick 192 (1 s at 120 BPM) the tempo halves to 60 BPM.
        let conductor = vec![tempo_event(192, 1_000_000), end_of_track()];
        let notes = vec![
            on(96, 60, 100), // tick 96: 0.5 s
            off(96, 60),     // tick 192: 1 s, the change itself
            on(48, 62, 100), // tick 240: 1 s + half a quarter at 1 s each = 1.5 s
            off(192, 62),    // tick 432: 1.5 s + 2 quarters = 3.5 s
            end_of_track(),
        ];
        let timing = Timing::Metrical(u15::new(96));
        let bytes = file(Format::Parallel, timing, vec![conductor, notes]);
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        assert_eq!(samples(&song), [24_000, 48_000, 72_000, 168_000]);
        // The tempo map itself, for a synced LFO: 60 BPM from the change's sample.
        let change = TimedTempo {
            sample: 48_000,
            tempo_bpm: 60.0,
        };
        assert_eq!(song.tempos, [change]);
    }

    #[test]
    fn tempo_changes_accumulate_over_many_segments_without_drift() {
        // 1000 segments, each one tick at 333 333 µs per quarter of 3 ticks: 1/9 s apiece.
        let mut conductor: Vec<_> = (0..1000).map(|_| tempo_event(1, 333_333)).collect();
        conductor.push(on(1, 60, 100));
        let song = read_song(&type0(3, conductor), RATE, LIMIT).unwrap();
        // The first tick runs at 120 BPM (1/6 s); the next 1000 at 333 333 µs per 3 ticks.
        let seconds = 1.0 / 6.0 + 1000.0 * 0.333_333 / 3.0;
        assert_eq!(song.end_sample, (seconds * RATE).round() as u64);
    }

    #[test]
    fn equal_ticks_keep_track_order_then_file_order() {
        let first = vec![on(10, 1, 100), on(0, 2, 100)];
        let second = vec![on(0, 3, 100), on(10, 4, 100)];
        let timing = Timing::Metrical(u15::new(10));
        let bytes = file(Format::Parallel, timing, vec![first, second]);
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        let keys: Vec<u8> = song
            .events
            .iter()
            .filter_map(|e| match e.input {
                NoteInput::NoteOn { note, .. } => Some(note.key),
                _ => None,
            })
            .collect();
        assert_eq!(keys, [3, 1, 2, 4]);
    }

    #[test]
    fn note_on_with_velocity_0_is_a_note_off() {
        let bytes = type0(480, vec![on(0, 60, 100), on(480, 60, 0)]);
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        let release = NoteInput::NoteOff {
            target: NoteMatch::key(0, 60),
        };
        assert_eq!(song.events[1].input, release);
    }

    #[test]
    fn controllers_and_pitch_bend_map_to_unit_values() {
        let bend = |raw: u16| {
            let bend = PitchBend(u14::new(raw));
            event(0, midi(3, MidiMessage::PitchBend { bend }))
        };
        let cc = event(
            0,
            midi(
                2,
                MidiMessage::Controller {
                    controller: u7::new(64),
                    value: u7::new(127),
                },
            ),
        );
        let program = event(
            0,
            midi(
                0,
                MidiMessage::ProgramChange {
                    program: u7::new(5),
                },
            ),
        );
        let track = vec![cc, bend(8192), bend(0), bend(16383), bend(4096), program];
        let song = read_song(&type0(96, track), RATE, LIMIT).unwrap();
        let inputs: Vec<NoteInput> = song.events.iter().map(|e| e.input).collect();
        let position = |position| NoteInput::PitchBend {
            channel: 3,
            position,
        };
        let pedal = NoteInput::ControlChange {
            channel: 2,
            controller: 64,
            value: 1.0,
        };
        // The pedal is still down at the end: the song's end releases what it holds.
        let release = NoteInput::ControlChange {
            channel: 2,
            controller: 123,
            value: 0.0,
        };
        let expected = [
            pedal,
            position(0.5),
            position(0.0),
            position(1.0),
            position(0.25),
            release,
        ];
        assert_eq!(inputs, expected);
    }

    #[test]
    fn channel_pressure_and_polyphonic_aftertouch_reach_the_engine() {
        let track = vec![
            event(
                0,
                midi(4, MidiMessage::ChannelAftertouch { vel: u7::new(127) }),
            ),
            event(
                0,
                midi(
                    5,
                    MidiMessage::Aftertouch {
                        key: u7::new(60),
                        vel: u7::new(0),
                    },
                ),
            ),
        ];
        let song = read_song(&type0(96, track), RATE, LIMIT).unwrap();
        let inputs: Vec<NoteInput> = song.events.iter().map(|e| e.input).collect();
        let expected = [
            NoteInput::ChannelPressure {
                channel: 4,
                pressure: 1.0,
            },
            NoteInput::Expression {
                target: NoteMatch::key(5, 60),
                kind: Expression::Pressure,
                value: 0.0,
            },
        ];
        assert_eq!(inputs, expected);
    }

    #[test]
    fn smpte_timing_ignores_tempo() {
        // 25 fps × 40 ticks per frame = 1000 ticks per second; tempo events place nothing.
        let timing = Timing::Timecode(Fps::Fps25, 40);
        let track = vec![tempo_event(0, 1_000_000), on(1000, 60, 100), off(500, 60)];
        let bytes = file(Format::SingleTrack, timing, vec![track]);
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        assert_eq!(samples(&song), [48_000, 72_000]);
        // But they still say the music's tempo (for a synced LFO).
        let tempo = TimedTempo {
            sample: 0,
            tempo_bpm: 60.0,
        };
        assert_eq!(song.tempos, [tempo]);
    }

    #[test]
    fn smpte_drop_frame_rate_is_30000_over_1001() {
        // 29.97 fps (30000/1001) × 100 ticks per frame: 30 000 ticks are 10.01 s.
        let timing = Timing::Timecode(Fps::Fps29, 100);
        let bytes = file(Format::SingleTrack, timing, vec![vec![on(30_000, 60, 1)]]);
        let song = read_song(&bytes, RATE, LIMIT).unwrap();
        assert_eq!(song.end_sample, 480_480);
    }

    #[test]
    fn not_midi_is_refused() {
        assert!(message(read_song(&[], RATE, LIMIT)).starts_with("not a Standard MIDI File"));
        let garbage: Vec<u8> = (0..1000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(message(read_song(&garbage, RATE, LIMIT)).starts_with("not a Standard MIDI"));
    }

    /// A file reader refuses anything else after its first bytes (see `check_header`).
    #[test]
    fn the_first_bytes_tell_a_midi_file() {
        let bytes = type0(96, vec![on(0, 60, 100)]);
        assert!(check_header(&bytes[..HEADER_BYTES]).is_ok());
        let mut short = bytes[..HEADER_BYTES].to_vec();
        short[7] = 2;
        assert!(matches!(
            check_header(&short),
            Err(MidiFileError::ShortHeader)
        ));
        assert!(matches!(
            check_header(&bytes[..10]),
            Err(MidiFileError::ShortHeader)
        ));
        assert!(matches!(
            check_header(&[0; HEADER_BYTES]),
            Err(MidiFileError::NotMidi)
        ));
        assert!(matches!(
            check_header(b"RIFF\0\0\0\0RMID"),
            Err(MidiFileError::Rmid)
        ));
        // What the header check refuses, reading the whole file refuses the same way.
        let text = message(read_song(&short, RATE, LIMIT));
        assert!(text.contains("shorter than the 6 bytes"), "{text}");
    }

    #[test]
    fn truncated_file_is_refused() {
        let track: Vec<_> = (0..50).flat_map(|i| [on(10, i, 100), off(10, i)]).collect();
        let bytes = type0(96, track);
        for cut in [bytes.len() / 2, bytes.len() - 1, 10, 14] {
            let text = message(read_song(&bytes[..cut], RATE, LIMIT));
            assert!(text.starts_with("damaged MIDI file"), "{cut}: {text}");
        }
    }

    #[test]
    fn file_cut_at_a_track_boundary_is_refused() {
        let timing = Timing::Metrical(u15::new(96));
        let tracks = vec![vec![tempo_event(0, 400_000)], vec![on(0, 60, 100)]];
        let bytes = file(Format::Parallel, timing, tracks);
        let first_track_end = 14 + 8 + 7; // header, chunk head, delta + FF 51 03 + 3 bytes
        let text = message(read_song(&bytes[..first_track_end], RATE, LIMIT));
        assert!(text.contains("announces 2 tracks"), "{text}");
    }

    #[test]
    fn tempo_of_zero_is_refused() {
        let bytes = type0(96, vec![tempo_event(5, 0), on(0, 60, 100)]);
        let text = message(read_song(&bytes, RATE, LIMIT));
        assert!(text.contains("tempo of 0"), "{text}");
    }

    #[test]
    fn short_tempo_event_is_refused() {
        let short = MetaMessage::Unknown(0x51, &[7, 161]);
        let bytes = type0(96, vec![event(0, TrackEventKind::Meta(short))]);
        let text = message(read_song(&bytes, RATE, LIMIT));
        assert!(text.contains("3 data bytes"), "{text}");
    }

    #[test]
    fn timings_without_length_are_refused() {
        let zero_ticks = type0(0, vec![on(0, 60, 100)]);
        let text = message(read_song(&zero_ticks, RATE, LIMIT));
        assert!(text.contains("0 ticks per quarter"), "{text}");
        let timing = Timing::Timecode(Fps::Fps24, 0);
        let zero_subframes = file(Format::SingleTrack, timing, vec![vec![]]);
        let text = message(read_song(&zero_subframes, RATE, LIMIT));
        assert!(text.contains("0 ticks per frame"), "{text}");
    }

    #[test]
    fn impossible_smpte_rate_is_refused() {
        let timing = Timing::Timecode(Fps::Fps25, 40);
        let good = file(Format::SingleTrack, timing, vec![vec![on(0, 60, 100)]]);
        for (byte, fps) in [((-23i8) as u8, "23"), (0x80, "128"), (0xFF, "1")] {
            let mut bytes = good.clone();
            bytes[12] = byte;
            let text = message(read_song(&bytes, RATE, LIMIT));
            assert!(
                text.contains(&format!(" {fps} frames per second")),
                "{text}"
            );
        }
    }

    #[test]
    fn stray_header_chunk_with_impossible_smpte_rate_is_refused() {
        // `midly` parses every "MThd" chunk it meets; rate byte 0x80 would overflow in it.
        let mut bytes = type0(96, vec![on(0, 60, 100)]);
        bytes.extend_from_slice(b"MThd\0\0\0\x06\0\0\0\x01\x80\x28");
        let text = message(read_song(&bytes, RATE, LIMIT));
        assert!(text.contains("128 frames per second"), "{text}");
    }

    #[test]
    fn rmid_is_refused() {
        let mut bytes = b"RIFF\0\0\0\0RMIDdata\0\0\0\0".to_vec();
        bytes.extend(type0(96, vec![on(0, 60, 100)]));
        assert!(message(read_song(&bytes, RATE, LIMIT)).contains("RIFF"));
    }

    #[test]
    fn huge_delta_beyond_the_limit_is_refused_naming_the_length() {
        // 0x0FFFFFFF ticks at 96 per half second: 1 398 101.3 s, about 388 hours.
        let bytes = type0(96, vec![on(0, 60, 100), off(0x0FFF_FFFF, 60)]);
        let text = message(read_song(&bytes, RATE, LIMIT));
        assert!(text.contains("1398101.3 s"), "{text}");
        assert!(text.contains("3600 s"), "{text}");
    }

    #[test]
    fn too_many_events_are_refused() {
        let track: Vec<_> = (0..4).map(|i| on(1, i, 100)).collect();
        let bytes = type0(96, track);
        let limits = |max_events| Limits {
            max_seconds: LIMIT,
            max_events,
        };
        assert_eq!(
            read_song_within(&bytes, RATE, limits(4))
                .unwrap()
                .events
                .len(),
            5,
            "the file's four, and the release of the notes they leave held"
        );
        let refused = read_song_within(&bytes, RATE, limits(3));
        assert!(matches!(
            refused,
            Err(MidiFileError::TooManyEvents { max: 3 })
        ));
    }

    #[test]
    fn sequential_files_are_refused() {
        let timing = Timing::Metrical(u15::new(96));
        let bytes = file(Format::Sequential, timing, vec![vec![on(0, 60, 100)]]);
        assert!(message(read_song(&bytes, RATE, LIMIT)).contains("type 2"));
    }

    #[test]
    fn bad_arguments_are_refused() {
        let bytes = type0(96, vec![on(0, 60, 100)]);
        for rate in [0.0, -48_000.0, f64::NAN, f64::INFINITY] {
            let refused = read_song(&bytes, rate, LIMIT);
            assert!(matches!(refused, Err(MidiFileError::BadSampleRate(_))));
        }
        let refused = read_song(&bytes, RATE, f64::NAN);
        assert!(matches!(refused, Err(MidiFileError::BadLengthLimit(_))));
    }

    #[test]
    fn an_empty_song_ends_at_sample_0() {
        let song = read_song(&type0(96, vec![end_of_track()]), RATE, LIMIT).unwrap();
        assert_eq!(song, Song::default());
    }
}
