//! Rendering: the host's audio thread, which calls the plugin's `process` block by block with
//! the events that fall in each block at their sample offsets.

use crate::events::{HostEvent, ParamChange};
use crate::instance::{Activation, QuintetHost};
use clack_host::events::Match;
use clack_host::events::event_types::{
    MidiEvent, NoteOffEvent, NoteOnEvent, ParamModEvent, ParamValueEvent,
};
use clack_host::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

/// Called on the audio thread with `true` right before every `process` call and `false` right
/// after it, with nothing of the host in between (e.g. to count the plugin's allocations).
pub type ProcessHook = fn(bool);

/// The audio a render produced: one `Vec` per output channel, all of the same length.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub channels: Vec<Vec<f32>>,
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

    /// Like [`render_blocks`](Self::render_blocks), with any mix of value and modulation events.
    /// Events at the same frame arrive in the order given.
    pub fn render_events(
        &mut self,
        blocks: impl IntoIterator<Item = usize>,
        events: &[HostEvent],
    ) -> Rendered {
        let hook = self.process_hook;
        let blocks: Vec<usize> = blocks.into_iter().collect();
        let active = self.active.as_mut().expect("activate before rendering");
        let rendered = std::thread::scope(|s| {
            s.spawn(|| process_on_audio_thread(active, blocks, events, None, hook))
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
        let done = AtomicBool::new(false);
        let mut calls = 0;
        let rendered = std::thread::scope(|s| {
            let (active, done) = (&mut active, &done);
            let audio = s.spawn(move || {
                let rendered = process_on_audio_thread(active, blocks, &[], Some(&live), hook);
                done.store(true, Ordering::SeqCst);
                rendered
            });
            while !done.load(Ordering::SeqCst) && !audio.is_finished() {
                main_thread(self);
                self.run_main_thread_callbacks();
                calls += 1;
            }
            audio
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        self.active = Some(active);
        self.run_main_thread_callbacks();
        (rendered, calls)
    }
}

/// The audio thread's side of a render: processes `blocks`, sending each of `events` in the block
/// that contains its frame and anything arriving on `live` at the start of the next block.
fn process_on_audio_thread(
    active: &mut Activation,
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
    };
    let processor = active
        .processor
        .ensure_processing_started()
        .expect("start_processing succeeds");
    let mut scratch = vec![vec![0.0f32; max_block]; channels];
    let mut ports = AudioPorts::with_capacity(channels, 1);
    let mut buffer = EventBuffer::with_capacity(events.len());
    let mut pending = events.iter().peekable();
    let mut start = 0;
    for len in blocks {
        assert!((1..=max_block).contains(&len), "block of {len} frames");
        buffer.clear();
        if let Some(live) = live {
            for change in live.try_iter() {
                buffer.push(&ParamValueEvent::new(
                    0,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                ));
            }
        }
        while let Some(event) = pending.next_if(|e| e.frame() < start + len) {
            let time = (event.frame() - start) as u32;
            match event {
                HostEvent::Value(change) => buffer.push(&ParamValueEvent::new(
                    time,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                )),
                HostEvent::Mod(change) => buffer.push(&ParamModEvent::new(
                    time,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                )),
                HostEvent::Midi(message) => buffer.push(&MidiEvent::new(time, 0, message.data)),
                HostEvent::Note(note) => {
                    let pckn = Pckn::new(0u16, 0u16, u16::from(note.key), Match::All);
                    if note.on {
                        buffer.push(&NoteOnEvent::new(time, pckn, note.velocity));
                    } else {
                        buffer.push(&NoteOffEvent::new(time, pckn, note.velocity));
                    }
                }
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
        let mut output_events = OutputEvents::void();
        if let Some(hook) = hook {
            hook(true);
        }
        let status = processor.process(
            &InputAudioBuffers::empty(),
            &mut outputs,
            &input_events,
            &mut output_events,
            Some(active.steady_time),
            None,
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
        active.steady_time += len as u64;
        start += len;
    }
    rendered
}
