//! The audio→GUI tap: how the editor sees what Quintet plays.
//!
//! The audio thread ([`TapWriter::write`]) only copies its output into a ring it owns, raises a
//! shared peak level, and every [`PUBLISH_INTERVAL_MS`] copies the ring into the back buffer of a
//! triple buffer, with a description of what sounds ([`Playing`]: each sounding voice's note and
//! partial frequencies): no allocation, no lock, no FFT. The GUI thread ([`TapReader`]) picks up the
//! newest snapshot whenever it draws; snapshots it missed are simply overwritten (the latest
//! block wins), so a slow or closed editor never holds the audio thread up.

use atomic_float::AtomicF32;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use triple_buffer::{Input, Output, triple_buffer};

/// Samples in each snapshot: a 16384-point spectrum at 96 kHz or more, an 8192-point one plus
/// room for the scope's trigger search at 44.1–48 kHz.
pub const SNAPSHOT_SAMPLES: usize = 16_384;

/// Time between two snapshots, in milliseconds. This bounds how often the editor is woken up
/// (about 30 frames per second), so an open editor costs the host little.
pub const PUBLISH_INTERVAL_MS: f64 = 33.0;

pub use crate::engine::{MAX_SOUNDING, Playing, SoundingVoice};

/// The newest samples of the output, as handed to the editor.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Exactly [`SNAPSHOT_SAMPLES`] samples, oldest first, the newest last. Only the last
    /// `valid_len` are audio; the rest are left over from before the editor (re)opened.
    pub samples: Vec<f32>,
    /// How many of the newest `samples` were played since the tap started listening.
    pub valid_len: usize,
    /// Sample rate of `samples`, in Hz.
    pub sample_rate_hz: f32,
    /// Snapshots published before and including this one (0: nothing published yet).
    pub sequence: u64,
    /// What sounded when the snapshot was taken.
    pub playing: Playing,
}

impl Snapshot {
    /// The samples played since the tap started listening, oldest first.
    pub fn valid(&self) -> &[f32] {
        &self.samples[self.samples.len() - self.valid_len..]
    }
}

/// The audio thread's end of the tap.
pub struct TapWriter {
    /// Ring of the newest samples; written only by the audio thread.
    ring: Box<[f32]>,
    /// Index in `ring` where the next sample goes.
    next: usize,
    /// Samples in `ring` written since the tap last started listening (at most its length).
    valid_len: usize,
    /// Samples written since the last snapshot was published.
    since_publish: usize,
    /// Samples between two snapshots at the current sample rate.
    publish_interval: usize,
    /// Sample rate of the audio being written, in Hz.
    sample_rate_hz: f32,
    /// Snapshots published so far.
    sequence: u64,
    /// Back buffer of the triple buffer shared with the [`TapReader`].
    input: Input<Snapshot>,
    /// Highest absolute sample value since the GUI last took it (linear, 1.0 = 0 dBFS).
    /// Raised by the audio thread, reset by the GUI thread.
    peak: Arc<AtomicF32>,
}

/// The GUI thread's end of the tap.
pub struct TapReader {
    /// Front buffer of the triple buffer: the newest snapshot the GUI has taken.
    output: Output<Snapshot>,
    /// Shared with [`TapWriter::peak`].
    peak: Arc<AtomicF32>,
}

/// Samples of the two channels' mean [`TapWriter::write_stereo_describing`] makes at a time
/// (on the stack: 1 KiB).
const MEAN_CHUNK_SAMPLES: usize = 256;

/// Creates a connected writer (for the audio thread) and reader (for the editor) for audio at
/// `sample_rate_hz`. Allocates: call it off the audio thread.
pub fn tap(sample_rate_hz: f32) -> (TapWriter, TapReader) {
    let empty = Snapshot {
        samples: vec![0.0; SNAPSHOT_SAMPLES],
        valid_len: 0,
        sample_rate_hz,
        sequence: 0,
        playing: Playing::default(),
    };
    let (input, output) = triple_buffer(&empty);
    let peak = Arc::new(AtomicF32::new(0.0));
    let mut writer = TapWriter {
        ring: vec![0.0; SNAPSHOT_SAMPLES].into_boxed_slice(),
        next: 0,
        valid_len: 0,
        since_publish: 0,
        publish_interval: 1,
        sample_rate_hz,
        sequence: 0,
        input,
        peak: peak.clone(),
    };
    writer.set_sample_rate(sample_rate_hz);
    (writer, TapReader { output, peak })
}

impl TapWriter {
    /// Follows a new sample rate (on activation) and starts the ring afresh. Allocation-free.
    pub fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        let interval = f64::from(sample_rate_hz) * PUBLISH_INTERVAL_MS / 1000.0;
        self.publish_interval = (interval.round() as usize).max(1);
        self.valid_len = 0;
        self.since_publish = 0;
    }

    /// Takes one block of output. While `listening` (the editor is open) the samples are copied
    /// and their peak raises the shared level; otherwise the call does nothing but remember that
    /// the next listening block starts a fresh picture. Returns `true` when it published a
    /// snapshot, which is when the caller should ask the editor to repaint. Real-time safe.
    #[inline]
    pub fn write(&mut self, samples: &[f32], listening: bool) -> bool {
        self.write_describing(samples, listening, |_| {})
    }

    /// [`write`](Self::write), and when a snapshot is published, `describe` says what plays
    /// (called only then: about 30 times a second, and never while the editor is closed).
    #[inline]
    pub fn write_describing(
        &mut self,
        samples: &[f32],
        listening: bool,
        describe: impl FnOnce(&mut Playing),
    ) -> bool {
        if !listening {
            // Inlined into the audio thread's block: with no editor open this is all it costs.
            self.valid_len = 0;
            self.since_publish = 0;
            return false;
        }
        self.write_listening(samples, describe)
    }

    /// [`write_describing`](Self::write_describing) for two channels (as long as each other):
    /// the editor sees their mean (L + R)/2, what the mono layout plays, so a partial panned to
    /// either side shows in the scope and the spectrum. Inlined, as `write_describing`: with
    /// no editor open this is a test and two stores in the audio thread's block.
    #[inline]
    pub fn write_stereo_describing(
        &mut self,
        left: &[f32],
        right: &[f32],
        listening: bool,
        describe: impl FnOnce(&mut Playing),
    ) -> bool {
        if !listening {
            return self.write_describing(left, false, describe);
        }
        self.write_stereo_listening(left, right, describe)
    }

    /// [`write_stereo_describing`](Self::write_stereo_describing) while the editor listens.
    fn write_stereo_listening(
        &mut self,
        left: &[f32],
        right: &[f32],
        describe: impl FnOnce(&mut Playing),
    ) -> bool {
        let mut mean = [0.0f32; MEAN_CHUNK_SAMPLES];
        let chunks = left
            .chunks(MEAN_CHUNK_SAMPLES)
            .zip(right.chunks(MEAN_CHUNK_SAMPLES));
        for (left, right) in chunks {
            let mean = &mut mean[..left.len()];
            for ((mean, &l), &r) in mean.iter_mut().zip(left).zip(right) {
                *mean = (l + r) * 0.5;
            }
            self.record(mean);
        }
        self.publish_if_due(left.len(), describe)
    }

    /// [`write_describing`](Self::write_describing) while the editor listens.
    fn write_listening(&mut self, samples: &[f32], describe: impl FnOnce(&mut Playing)) -> bool {
        self.record(samples);
        self.publish_if_due(samples.len(), describe)
    }

    /// Meters `samples` and keeps the newest of them in the ring.
    fn record(&mut self, samples: &[f32]) {
        let block_peak = samples.iter().fold(0.0_f32, |peak, s| peak.max(s.abs()));
        self.peak.fetch_max(block_peak, Ordering::Relaxed);

        let capacity = self.ring.len();
        let newest = &samples[samples.len().saturating_sub(capacity)..];
        let first_len = newest.len().min(capacity - self.next);
        let (first, wrapped) = newest.split_at(first_len);
        self.ring[self.next..self.next + first_len].copy_from_slice(first);
        self.ring[..wrapped.len()].copy_from_slice(wrapped);
        self.next = (self.next + newest.len()) % capacity;
        self.valid_len = (self.valid_len + newest.len()).min(capacity);
    }

    /// Counts `samples` more written, and publishes a snapshot (with what plays, from
    /// `describe`) when one is due; whether it did.
    fn publish_if_due(&mut self, samples: usize, describe: impl FnOnce(&mut Playing)) -> bool {
        self.since_publish += samples;
        if self.since_publish < self.publish_interval {
            return false;
        }
        self.since_publish %= self.publish_interval;
        self.publish(describe);
        true
    }

    /// Copies the ring, oldest sample first, into the back buffer with what plays, and swaps it
    /// to the front.
    fn publish(&mut self, describe: impl FnOnce(&mut Playing)) {
        self.sequence += 1;
        let snapshot = self.input.input_buffer_mut();
        describe(&mut snapshot.playing);
        let (newer, older) = self.ring.split_at(self.next);
        snapshot.samples[..older.len()].copy_from_slice(older);
        snapshot.samples[older.len()..].copy_from_slice(newer);
        snapshot.valid_len = self.valid_len;
        snapshot.sample_rate_hz = self.sample_rate_hz;
        snapshot.sequence = self.sequence;
        self.input.publish();
    }
}

impl TapReader {
    /// The newest snapshot, if one arrived since the last call.
    pub fn take_new(&mut self) -> Option<&Snapshot> {
        if self.output.update() {
            Some(self.output.output_buffer())
        } else {
            None
        }
    }

    /// The snapshot taken last (an empty one before anything arrived).
    pub fn latest(&self) -> &Snapshot {
        self.output.output_buffer()
    }

    /// The peak level written since the previous call (linear, 1.0 = 0 dBFS), and resets it.
    pub fn take_peak(&self) -> f32 {
        self.peak.swap(0.0, Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU64};
    use std::thread;

    /// A ramp: sample `n` of the stream is `n`, so any seam shows as a step other than 1.
    fn ramp_block(start: u64, len: usize) -> Vec<f32> {
        (0..len).map(|i| (start + i as u64) as f32).collect()
    }

    fn assert_contiguous(samples: &[f32]) {
        for pair in samples.windows(2) {
            assert_eq!(pair[1] - pair[0], 1.0, "seam in a snapshot: {pair:?}");
        }
    }

    /// Issue 24: with two channels the editor sees their mean, so a partial panned hard to
    /// one side shows (at half its level, as in mono), and nothing is copied while it is closed.
    #[test]
    fn two_channels_are_seen_as_their_mean() {
        let (mut writer, mut reader) = tap(48_000.0);
        assert!(!writer.write_stereo_describing(&[0.5; 3000], &[0.0; 3000], false, |_| {}));
        assert!(reader.take_new().is_none());
        let left: Vec<f32> = (0..2000).map(|n| n as f32).collect();
        let right = vec![1.0f32; 2000];
        assert!(writer.write_stereo_describing(&left, &right, true, |_| {}));
        let snapshot = reader.take_new().unwrap();
        assert_eq!(snapshot.valid_len, 2000);
        let expected: Vec<f32> = left.iter().map(|l| (l + 1.0) * 0.5).collect();
        assert_eq!(snapshot.valid(), &expected[..]);
    }

    #[test]
    fn publishes_about_thirty_snapshots_per_second() {
        let (mut writer, _reader) = tap(48_000.0);
        let published = (0..48_000 / 480)
            .filter(|_| writer.write(&[0.0; 480], true))
            .count();
        assert!((29..=31).contains(&published), "{published}");
    }

    #[test]
    fn a_snapshot_holds_the_newest_samples_across_the_ring_seam() {
        let (mut writer, mut reader) = tap(48_000.0);
        let mut written = 0;
        // Blocks that do not divide the ring force writes across its end.
        while written < 3 * SNAPSHOT_SAMPLES as u64 {
            writer.write(&ramp_block(written, 1000), true);
            written += 1000;
        }
        writer.publish(|_| {});
        let snapshot = reader.take_new().expect("a snapshot");
        assert_eq!(snapshot.valid_len, SNAPSHOT_SAMPLES);
        assert_eq!(*snapshot.samples.last().unwrap(), (written - 1) as f32);
        assert_contiguous(&snapshot.samples);
    }

    #[test]
    fn a_block_longer_than_the_ring_keeps_its_newest_samples() {
        let (mut writer, mut reader) = tap(48_000.0);
        assert!(writer.write(&ramp_block(0, 2 * SNAPSHOT_SAMPLES + 5), true));
        let snapshot = reader.take_new().unwrap();
        assert_eq!(snapshot.samples[0], (SNAPSHOT_SAMPLES + 5) as f32);
        assert_contiguous(&snapshot.samples);
    }

    #[test]
    fn nothing_is_copied_or_metered_while_the_editor_is_closed() {
        let (mut writer, mut reader) = tap(48_000.0);
        for _ in 0..100 {
            assert!(!writer.write(&[0.5; 512], false));
        }
        assert!(reader.take_new().is_none());
        assert_eq!(reader.take_peak(), 0.0);
        // Reopening starts a fresh picture: only what was played since counts as valid.
        assert!(writer.write(&[0.25; 2000], true));
        let snapshot = reader.take_new().unwrap();
        assert_eq!(snapshot.valid_len, 2000);
        assert!(snapshot.valid().iter().all(|&s| s == 0.25));
    }

    #[test]
    fn the_peak_is_the_loudest_sample_since_the_gui_last_looked() {
        let (mut writer, reader) = tap(48_000.0);
        writer.write(&[0.1, -0.7, 0.3], true);
        writer.write(&[0.2, 0.4], true);
        assert_eq!(reader.take_peak(), 0.7);
        assert_eq!(reader.take_peak(), 0.0);
        writer.write(&[-0.05], true);
        assert_eq!(reader.take_peak(), 0.05);
    }

    #[test]
    fn threads_hand_over_whole_snapshots_and_the_latest_block_wins() {
        let (mut writer, mut reader) = tap(48_000.0);
        let done = Arc::new(AtomicBool::new(false));
        let total_written = Arc::new(AtomicU64::new(0));
        // Snapshots the reader has taken: the writer goes on until it has taken a few, so a
        // loaded machine that starves the reader thread cannot fail the test by scheduling
        // alone. (Sample values stay exact in f32 below 2^24: at most 200 000 blocks of 64.)
        let taken = Arc::new(AtomicU64::new(0));
        let audio = {
            let done = done.clone();
            let total_written = total_written.clone();
            let taken = taken.clone();
            thread::spawn(move || {
                let mut written = 0;
                let mut block = vec![0.0; 64];
                for round in 0..200_000 {
                    if round >= 20_000 && taken.load(Ordering::Acquire) >= 3 {
                        break;
                    }
                    for (i, sample) in block.iter_mut().enumerate() {
                        *sample = (written + i as u64) as f32;
                    }
                    writer.write(&block, true);
                    written += block.len() as u64;
                    if round % 1000 == 999 {
                        thread::yield_now();
                    }
                }
                total_written.store(written, Ordering::Release);
                done.store(true, Ordering::Release);
                writer
            })
        };
        let mut last_sequence = 0;
        let mut seen = 0;
        while !done.load(Ordering::Acquire) {
            if let Some(snapshot) = reader.take_new() {
                assert!(
                    snapshot.sequence > last_sequence,
                    "snapshots went backwards"
                );
                last_sequence = snapshot.sequence;
                assert_contiguous(snapshot.valid());
                seen += 1;
                taken.store(seen, Ordering::Release);
            }
            thread::yield_now();
        }
        let mut writer = audio.join().unwrap();
        assert!(seen > 0, "the reader never saw a snapshot");

        // Whatever the reader missed, the newest block is what it gets next.
        writer.publish(|_| {});
        let written = total_written.load(Ordering::Acquire);
        let snapshot = reader.take_new().unwrap();
        assert_eq!(*snapshot.samples.last().unwrap(), (written - 1) as f32);
        assert_contiguous(snapshot.valid());
        assert!(reader.take_new().is_none(), "no new data, no new snapshot");
    }
}
