//! Rendering: the host's audio thread, which calls the plugin's `process` block by block with
//! the events that fall in each block at their sample offsets, and collects the note ends the
//! plugin reports back. Parameter values and modulation offsets arrive here normalized and leave
//! as the plugin's CLAP values (see [`crate::units`]).

use crate::cookies::Cookies;
use crate::events::{HostEvent, ParamChange};
use crate::instance::{Activation, QuintetHost};
use crate::notes::{NoteEnd, NoteKind};
use crate::units::ParamScales;
use clack_host::events::event_types::{
    MidiEvent, NoteChokeEvent, NoteEndEvent, NoteExpressionEvent, NoteOffEvent, NoteOnEvent,
    ParamModEvent, TransportEvent, TransportFlags,
};
use clack_host::events::io::{OutputEventBuffer, TryPushError};
use clack_host::events::{EventFlags, UnknownEvent};
use clack_host::prelude::*;
use clack_host::utils::FixedPoint;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

/// Called on the audio thread with `true` right before every `process` call and `false` right
/// after it, with nothing of the host in between (e.g. to count the plugin's allocations).
pub type ProcessHook = fn(bool);

/// What a render produced: the audio, one `Vec` per output channel, all of the same length, and
/// the note ends the plugin reported, in the order it sent them.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub channels: Vec<Vec<f32>>,
    pub note_ends: Vec<NoteEnd>,
}

impl Rendered {
    /// The first channel (left, or the only one in mono).
    pub fn left(&self) -> &[f32] {
        &self.channels[0]
    }

    /// Frames rendered.
    pub fn len(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    /// Whether nothing was rendered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The note end reported for the voice with this note id, if any (the first, if several).
    pub fn note_end(&self, note_id: i32) -> Option<&NoteEnd> {
        self.note_ends.iter().find(|end| end.note_id == note_id)
    }
}

/// The most note ends one `process` call may report; a plugin sending more fails the render.
/// A note can end another (a steal, one-voice legato), so a block may bring about one end per
/// note event: room for tests/rt_alloc.rs's burst of 4,000 notes in one block, twice over.
pub const MAX_NOTE_ENDS_PER_BLOCK: usize = 8192;

/// The host's output event list for one `process` call: keeps the `note_end` events, accepts and
/// drops everything else (parameter gestures and values from the plugin's GUI).
///
/// Not clack's `EventBuffer`, which grows on demand: the plugin pushes into this list from inside
/// `process`, and the allocation tests count every allocation on the audio thread there, the
/// host's included. This one is allocated up front and refuses what does not fit.
struct NoteEndList {
    /// Block-relative times, as the plugin sent them.
    ends: Vec<NoteEnd>,
    overflowed: bool,
}

impl NoteEndList {
    fn new() -> Self {
        Self {
            ends: Vec::with_capacity(MAX_NOTE_ENDS_PER_BLOCK),
            overflowed: false,
        }
    }
}

impl OutputEventBuffer for NoteEndList {
    fn try_push(&mut self, event: &UnknownEvent) -> Result<(), TryPushError> {
        let Some(end) = event.as_event::<NoteEndEvent>() else {
            return Ok(());
        };
        if self.ends.len() == self.ends.capacity() {
            self.overflowed = true;
            return Err(TryPushError::new());
        }
        let pckn = end.pckn();
        self.ends.push(NoteEnd {
            frame: end.header().time() as usize,
            note_id: pckn.raw_note_id(),
            channel: pckn.raw_channel(),
            key: pckn.raw_key(),
        });
        Ok(())
    }
}

/// `frames` frames as the blocks a host with `max_block`-frame buffers sends: full blocks, then
/// the rest.
pub fn blocks_of(frames: usize, max_block: usize) -> impl Iterator<Item = usize> {
    std::iter::repeat_n(max_block, frames / max_block)
        .chain(Some(frames % max_block).filter(|&rest| rest > 0))
}

impl QuintetHost {
    /// Renders `frames` frames in blocks of the activation's maximum size (the last one may be
    /// shorter), sending `changes` at their frames.
    pub fn render(&mut self, frames: usize, changes: &[ParamChange]) -> Rendered {
        let max_block = self.activation().max_block;
        self.render_blocks(blocks_of(frames, max_block), changes)
    }

    /// Renders consecutive blocks of the given lengths (each 1 to the activation's maximum),
    /// sending each of `changes` in the block that contains its frame, at the right offset.
    ///
    /// Processing runs on a separate audio thread; it is started on the first render after
    /// activation. Output buffers are filled with NaN before every `process` call, so a sample the
    /// plugin forgot to write fails any finiteness check. Panics if `process` reports an error.
    pub fn render_blocks(
        &mut self,
        blocks: impl IntoIterator<Item = usize>,
        changes: &[ParamChange],
    ) -> Rendered {
        let events: Vec<HostEvent> = changes.iter().copied().map(HostEvent::Value).collect();
        self.render_events(blocks, &events)
    }

    /// Like [`render_blocks`](Self::render_blocks), with any mix of [`HostEvent`]s: values,
    /// modulation, MIDI, notes, note expressions and polyphonic modulation. Events at the same
    /// frame arrive in the order given.
    pub fn render_events(
        &mut self,
        blocks: impl IntoIterator<Item = usize>,
        events: &[HostEvent],
    ) -> Rendered {
        let hook = self.process_hook;
        let blocks: Vec<usize> = blocks.into_iter().collect();
        let (scales, cookies) = (&self.scales, &self.cookies);
        let active = self.active.as_mut().expect("activate before rendering");
        let rendered = std::thread::scope(|s| {
            s.spawn(|| {
                process_on_audio_thread(active, (scales, cookies), blocks, events, None, hook)
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        self.run_main_thread_callbacks();
        rendered
    }

    /// Renders `frames` frames on the audio thread while the calling (main) thread keeps calling
    /// `main_thread` with this host, as a DAW's GUI and project code do during playback: read and
    /// display values, save or load state. Changes the "GUI" sends through the channel whose
    /// receiver is `live` arrive at the start of the next block, the way a DAW forwards its own
    /// GUI's edits to a running plugin. Returns what was rendered and how often `main_thread` ran.
    ///
    /// The host must not render or (de)activate from inside `main_thread`.
    pub fn render_while(
        &mut self,
        frames: usize,
        live: Receiver<ParamChange>,
        mut main_thread: impl FnMut(&mut QuintetHost),
    ) -> (Rendered, usize) {
        let mut active = self.active.take().expect("activate before rendering");
        let max_block = active.max_block;
        let blocks: Vec<usize> = blocks_of(frames, max_block).collect();
        let hook = self.process_hook;
        // The audio thread's own copy: `main_thread` borrows the whole host meanwhile.
        let scales = self.scales.clone();
        let cookies = self.cookies.clone();
        let done = AtomicBool::new(false);
        let mut calls = 0;
        let rendered = std::thread::scope(|s| {
            let (active, tables, done) = (&mut active, (&scales, &cookies), &done);
            let audio = s.spawn(move || {
                let rendered =
                    process_on_audio_thread(active, tables, blocks, &[], Some(&live), hook);
                done.store(true, Ordering::SeqCst);
                // Handed back rather than dropped here: the main thread may be sending one last
                // change while the render ends, and that send must not find the channel closed.
                (rendered, live)
            });
            while !done.load(Ordering::SeqCst) && !audio.is_finished() {
                main_thread(self);
                self.run_main_thread_callbacks();
                calls += 1;
            }
            let (rendered, _live) = audio
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            rendered
        });
        self.active = Some(active);
        self.run_main_thread_callbacks();
        (rendered, calls)
    }
}

/// The audio thread's side of a render: processes `blocks`, sending each of `events` in the block
/// that contains its frame and anything arriving on `live` at the start of the next block, their
/// normalized values and offsets converted to CLAP's with `scales`, value events carrying the
/// cookies `cookies` says (lookups that do not allocate).
fn process_on_audio_thread(
    active: &mut Activation,
    (scales, cookies): (&ParamScales, &Cookies),
    blocks: Vec<usize>,
    events: &[HostEvent],
    live: Option<&Receiver<ParamChange>>,
    hook: Option<ProcessHook>,
) -> Rendered {
    let total: usize = blocks.iter().sum();
    let mut events = events.to_vec();
    // A stable sort: events at one frame keep their order.
    events.sort_by_key(HostEvent::frame);
    assert!(
        events.last().is_none_or(|e| e.frame() < total),
        "an event after the end of the render"
    );
    let channels = active.output_channels;
    let max_block = active.max_block;
    let mut rendered = Rendered {
        channels: vec![Vec::with_capacity(total); channels],
        note_ends: Vec::new(),
    };
    let processor = active
        .processor
        .ensure_processing_started()
        .expect("start_processing succeeds");
    let mut scratch = vec![vec![0.0f32; max_block]; channels];
    let mut ports = AudioPorts::with_capacity(channels, 1);
    let mut buffer = EventBuffer::with_capacity(events.len());
    let mut note_ends = NoteEndList::new();
    let mut pending = events.iter().peekable();
    let transport = active.transport_tempo_bpm.map(playing_at);
    let mut start = 0;
    for len in blocks {
        assert!((1..=max_block).contains(&len), "block of {len} frames");
        buffer.clear();
        if let Some(live) = live {
            for change in live.try_iter() {
                buffer.push(&cookies.value_event(
                    0,
                    change.param,
                    scales.clap_value(change.param, change.normalized),
                ));
            }
        }
        while let Some(event) = pending.next_if(|e| e.frame() < start + len) {
            let time = (event.frame() - start) as u32;
            match event {
                HostEvent::Value(change) => buffer.push(&cookies.value_event(
                    time,
                    change.param,
                    scales.clap_value(change.param, change.normalized),
                )),
                HostEvent::Mod(change) => buffer.push(&ParamModEvent::new(
                    time,
                    change.param,
                    Pckn::match_all(),
                    scales.clap_offset(change.param, change.normalized),
                )),
                HostEvent::Midi(message) => buffer.push(&MidiEvent::new(time, 0, message.data)),
                HostEvent::Note(note) => match note.kind {
                    NoteKind::On => {
                        buffer.push(&NoteOnEvent::new(time, note.pckn(), note.velocity))
                    }
                    NoteKind::Off => {
                        buffer.push(&NoteOffEvent::new(time, note.pckn(), note.velocity))
                    }
                    NoteKind::Choke => buffer.push(&NoteChokeEvent::new(time, note.pckn())),
                },
                HostEvent::Expression(expression) => buffer.push(&NoteExpressionEvent::new(
                    time,
                    expression.pckn(),
                    expression.kind.to_clap(),
                    expression.value,
                )),
                HostEvent::PolyMod(modulation) => buffer.push(&ParamModEvent::new(
                    time,
                    modulation.change.param,
                    modulation.pckn(),
                    scales.clap_offset(modulation.change.param, modulation.change.normalized),
                )),
            }
        }
        for channel in &mut scratch {
            channel[..len].fill(f32::NAN);
        }
        let mut outputs = ports.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(
                scratch.iter_mut().map(|c| &mut c[..len]),
            ),
        }]);
        let input_events = buffer.as_input();
        note_ends.ends.clear();
        let mut output_events = OutputEvents::from_buffer(&mut note_ends);
        if let Some(hook) = hook {
            hook(true);
        }
        let status = processor.process(
            &InputAudioBuffers::empty(),
            &mut outputs,
            &input_events,
            &mut output_events,
            Some(active.steady_time),
            transport.as_ref(),
        );
        if let Some(hook) = hook {
            hook(false);
        }
        // An instrument without notes must ask to keep running.
        assert_eq!(
            status.expect("process succeeds"),
            ProcessStatus::Continue,
            "process status"
        );
        for (out, block) in rendered.channels.iter_mut().zip(&scratch) {
            out.extend_from_slice(&block[..len]);
        }
        assert!(
            !note_ends.overflowed,
            "more than {MAX_NOTE_ENDS_PER_BLOCK} note ends in one block"
        );
        for end in &note_ends.ends {
            // CLAP: an output event's time lies in the block it is sent from.
            assert!(
                end.frame < len,
                "{end:?} sent after the end of a {len}-frame block"
            );
            rendered.note_ends.push(NoteEnd {
                frame: start + end.frame,
                ..*end
            });
        }
        active.steady_time += len as u64;
        start += len;
    }
    rendered
}

/// A playing transport at `tempo_bpm` beats per minute, in 4/4 at the song's start (Quintet
/// reads the tempo alone).
fn playing_at(tempo_bpm: f64) -> TransportEvent {
    let zero = FixedPoint::from_int(0);
    TransportEvent {
        header: EventHeader::new_core(0, EventFlags::empty()),
        flags: TransportFlags::HAS_TEMPO | TransportFlags::IS_PLAYING,
        song_pos_beats: zero,
        song_pos_seconds: zero,
        tempo: tempo_bpm,
        tempo_inc: 0.0,
        loop_start_beats: zero,
        loop_end_beats: zero,
        loop_start_seconds: zero,
        loop_end_seconds: zero,
        bar_start: zero,
        bar_number: 0,
        time_signature_numerator: 4,
        time_signature_denominator: 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clack_host::events::event_types::ParamValueEvent;

    #[test]
    fn the_output_list_keeps_note_ends_and_refuses_overflow() {
        let mut list = NoteEndList::new();
        let end = NoteEndEvent::new(3, Pckn::new(0u16, 2u16, 61u16, 9u32));
        let value = ParamValueEvent::new(0, ClapId::new(1), Pckn::match_all(), 0.5);
        assert!(
            list.try_push(value.as_ref()).is_ok(),
            "other events are accepted"
        );
        for _ in 0..MAX_NOTE_ENDS_PER_BLOCK {
            assert!(list.try_push(end.as_ref()).is_ok());
        }
        assert_eq!(
            list.ends[0],
            NoteEnd {
                frame: 3,
                note_id: 9,
                channel: 2,
                key: 61
            }
        );
        assert_eq!(list.ends.len(), MAX_NOTE_ENDS_PER_BLOCK);
        assert!(!list.overflowed);
        assert!(list.try_push(end.as_ref()).is_err(), "the list never grows");
        assert!(list.overflowed);
    }
}
