//! A broken `libMTS.so` for Quintet's tests: it registers clients and says a master is
//! connected whose table tunes every key to 1 kHz, but the rest of the client API (filtering,
//! the per-channel tables, the scale name) is missing. A client must refuse it whole: register
//! nothing and play its own tuning, never the 1 kHz.

#![allow(non_snake_case)] // the library's symbols are MTS-ESP's

use std::ffi::c_int;
use std::sync::atomic::{AtomicI32, Ordering};

static CLIENTS: AtomicI32 = AtomicI32::new(0);
/// Every key at 1 kHz: what a client that accepted this library would play.
static TABLE: [f64; 128] = [1000.0; 128];

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
    true
}

#[unsafe(no_mangle)]
pub extern "C" fn MTS_GetTuningTable() -> *const f64 {
    TABLE.as_ptr()
}

/// How many clients are registered now (0, if the client refused this library).
#[unsafe(no_mangle)]
pub extern "C" fn stand_in_clients() -> c_int {
    CLIENTS.load(Ordering::SeqCst)
}
