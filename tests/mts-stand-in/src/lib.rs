//! A stand-in for MTS-ESP's `libMTS.so`, which Quintet's tests and benchmark load in its place
//! (through `QUINTET_MTS_LIBRARY`).
//!
//! It exports what the real library exports to its clients — the functions ODDSound's client
//! code looks up by name: registration, whether a master is connected, the tuning tables (one
//! for every channel and one per channel, each 128 frequencies in Hz that stay at one address
//! for as long as the library is loaded), which channels use their own table, which keys are
//! filtered, and the scale's name — and, for the tests, `stand_in_*` controls that play the
//! master: present or absent, retuning keys, filtering them, or handing out frequencies no
//! tuning means (NaN, negative, huge).
//!
//! The state is global to the process, as the real library's is: a test that loads this
//! library and the plugin it hosts share it. Everything is atomic, so the controls may be
//! called from a test's thread while the plugin's audio thread reads.

#![allow(non_snake_case)] // the library's file name, libMTS.so, is MTS-ESP's

use std::ffi::{c_char, c_int};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, AtomicU64, Ordering};

/// Keys in a tuning table.
const KEYS: usize = 128;
/// Channels with tables of their own.
const CHANNELS: usize = 16;
/// Bytes kept of a scale name, the terminating zero included.
const NAME_BYTES: usize = 64;

/// 128 frequencies (Hz) as f64 bits. `AtomicU64` has the size and alignment of `f64`, so the
/// client reads the table through a `*const f64` as it reads the real library's.
struct Table([AtomicU64; KEYS]);

impl Table {
    const fn new() -> Self {
        Self([const { AtomicU64::new(0) }; KEYS])
    }

    fn set(&self, key: usize, hz: f64) {
        self.0[key].store(hz.to_bits(), Ordering::Relaxed);
    }

    fn twelve_tet(&self) {
        for key in 0..KEYS {
            self.set(key, 440.0 * ((key as f64 - 69.0) / 12.0).exp2());
        }
    }

    fn as_ptr(&self) -> *const f64 {
        self.0.as_ptr().cast()
    }
}

static MASTER: AtomicBool = AtomicBool::new(false);
static CLIENTS: AtomicI32 = AtomicI32::new(0);
static TABLE: Table = Table::new();
static CHANNEL_TABLES: [Table; CHANNELS] = [const { Table::new() }; CHANNELS];
/// Whether a channel plays its own table (set by its first per-channel frequency).
static CHANNEL_USES_OWN: [AtomicBool; CHANNELS] = [const { AtomicBool::new(false) }; CHANNELS];
static FILTERED: [AtomicBool; KEYS] = [const { AtomicBool::new(false) }; KEYS];
static CHANNEL_FILTERED: [[AtomicBool; KEYS]; CHANNELS] =
    [const { [const { AtomicBool::new(false) }; KEYS] }; CHANNELS];
/// The scale's name, zero-terminated.
static NAME: [AtomicU8; NAME_BYTES] = [const { AtomicU8::new(0) }; NAME_BYTES];

/// The index of `value` if it is below `len`.
fn index(value: c_int, len: usize) -> Option<usize> {
    usize::try_from(value).ok().filter(|&i| i < len)
}

fn channel_of(channel: c_char) -> Option<usize> {
    index(c_int::from(channel), CHANNELS)
}

// The client API (what libMTS exports to ODDSound's client code).

#[unsafe(no_mangle)]
pub extern "C" fn MTS_RegisterClient() {
    CLIENTS.fetch_add(1, Ordering::SeqCst);
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_DeregisterClient() {
    CLIENTS.fetch_sub(1, Ordering::SeqCst);
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_HasMaster() -> bool {
    MASTER.load(Ordering::Relaxed)
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_ShouldFilterNote(key: c_char, _channel: c_char) -> bool {
    index(c_int::from(key), KEYS).is_some_and(|key| FILTERED[key].load(Ordering::Relaxed))
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_ShouldFilterNoteMultiChannel(key: c_char, channel: c_char) -> bool {
    match (index(c_int::from(key), KEYS), channel_of(channel)) {
        (Some(key), Some(channel)) => CHANNEL_FILTERED[channel][key].load(Ordering::Relaxed),
        _ => false,
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_GetTuningTable() -> *const f64 {
    TABLE.as_ptr()
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_GetMultiChannelTuningTable(channel: c_char) -> *const f64 {
    channel_of(channel).map_or(std::ptr::null(), |c| CHANNEL_TABLES[c].as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_UseMultiChannelTuning(channel: c_char) -> bool {
    channel_of(channel).is_some_and(|c| CHANNEL_USES_OWN[c].load(Ordering::Relaxed))
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_GetScaleName() -> *const c_char {
    NAME.as_ptr().cast()
}

// The tests' controls.

/// No master, every table in 12-TET, no channel on a table of its own, nothing filtered, the
/// scale named "12-TET". (The client count stays: it counts what clients did.)
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_reset() {
    MASTER.store(false, Ordering::SeqCst);
    TABLE.twelve_tet();
    for table in &CHANNEL_TABLES {
        table.twelve_tet();
    }
    let flags = CHANNEL_USES_OWN.iter().chain(&FILTERED);
    for flag in flags.chain(CHANNEL_FILTERED.iter().flatten()) {
        flag.store(false, Ordering::Relaxed);
    }
    set_name(b"12-TET");
}

/// A master connects (`true`) or goes away (`false`).
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_set_master(present: bool) {
    MASTER.store(present, Ordering::SeqCst);
}

/// Tunes `key` to `hz` (any value, NaN and infinities too) on `channel`, or on every channel
/// without a table of its own if `channel` is -1. A channel's first frequency gives it a table
/// of its own (a copy of the one for every channel).
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_set_frequency(channel: c_int, key: c_int, hz: f64) {
    let Some(key) = index(key, KEYS) else { return };
    match index(channel, CHANNELS) {
        None => TABLE.set(key, hz),
        Some(channel) => {
            if !CHANNEL_USES_OWN[channel].swap(true, Ordering::SeqCst) {
                for (to, from) in CHANNEL_TABLES[channel].0.iter().zip(&TABLE.0) {
                    to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
                }
            }
            CHANNEL_TABLES[channel].set(key, hz);
        }
    }
}

/// Filters `key` (or plays it again) on `channel`, or on every channel if `channel` is -1.
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_filter(channel: c_int, key: c_int, filtered: bool) {
    let Some(key) = index(key, KEYS) else { return };
    match index(channel, CHANNELS) {
        None => FILTERED[key].store(filtered, Ordering::SeqCst),
        Some(channel) => CHANNEL_FILTERED[channel][key].store(filtered, Ordering::SeqCst),
    }
}

/// Names the scale `name` (zero-terminated; cut to 63 bytes).
///
/// # Safety
/// `name` points at a zero-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stand_in_set_scale_name(name: *const c_char) {
    // SAFETY: the caller passes a zero-terminated string (this function's contract).
    let name = unsafe { std::ffi::CStr::from_ptr(name) };
    set_name(name.to_bytes());
}

/// How many clients are registered now.
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_clients() -> c_int {
    CLIENTS.load(Ordering::SeqCst)
}

fn set_name(name: &[u8]) {
    let kept = name.len().min(NAME_BYTES - 1);
    for (slot, &byte) in NAME.iter().zip(&name[..kept]) {
        slot.store(byte, Ordering::Relaxed);
    }
    NAME[kept].store(0, Ordering::SeqCst);
}
