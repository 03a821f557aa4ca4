//! Quintet's own MTS-ESP client: `libMTS` loaded at run time (never linked), every function it
//! must export looked up and checked before any is called, and the queries the audio thread
//! makes.
//!
//! `libMTS` is ODDSound's shared library through which a tuning master (a plugin such as
//! MTS-ESP Mini) and its clients meet. A client registers, asks whether a master is connected,
//! and reads the master's tuning: a table of 128 frequencies (Hz) for every channel, and one
//! per channel for the channels the master tunes separately; the tables stay at one address for
//! as long as the library is loaded, and the master rewrites them in place. It also asks which
//! keys the master leaves out (filters) and the scale's name.
//!
//! Values are handed on unchecked: the engine's
//! [`KeyTuning::outside`](crate::engine::KeyTuning::outside) is the one place that refuses a
//! frequency no tuning means.

use std::ffi::{CStr, c_char, c_void};
use std::fmt;
use std::path::Path;

/// The channels a master tunes separately (MIDI channels 1–16, 0-based).
const CHANNELS: usize = 16;
/// Keys in a tuning table.
const KEYS: usize = 128;
/// Most bytes of a scale name read (the master owns the string; it should be far shorter).
const MAX_NAME_BYTES: usize = 256;

type Action = unsafe extern "C" fn();
type Query = unsafe extern "C" fn() -> bool;
type KeyQuery = unsafe extern "C" fn(c_char, c_char) -> bool;
type Table = unsafe extern "C" fn() -> *const f64;
type ChannelTable = unsafe extern "C" fn(c_char) -> *const f64;
type ChannelQuery = unsafe extern "C" fn(c_char) -> bool;
type Text = unsafe extern "C" fn() -> *const c_char;

/// Every function a client needs from `libMTS`, by the names it exports.
#[derive(Clone, Copy)]
struct Functions {
    register: Action,
    deregister: Action,
    has_master: Query,
    filters_key: KeyQuery,
    filters_channel_key: KeyQuery,
    table: Table,
    channel_table: ChannelTable,
    uses_channel_table: ChannelQuery,
    scale_name: Text,
}

/// Why a library was not used.
#[derive(Debug)]
pub enum LoadError {
    /// The library could not be loaded (missing, not a library for this machine, …).
    Open(libloading::Error),
    /// The library lacks a function every `libMTS` exports.
    MissingSymbol(&'static str),
    /// The library gave no tuning table to read.
    NoTable,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(error) => write!(f, "cannot be loaded: {error}"),
            Self::MissingSymbol(name) => write!(f, "does not export {name}"),
            Self::NoTable => write!(f, "gives no tuning table"),
        }
    }
}

/// A registered client of a loaded `libMTS`. Deregisters when dropped, then unloads the
/// library.
pub struct MtsClient {
    functions: Functions,
    /// The table for every channel: 128 frequencies (Hz), never null.
    table: *const f64,
    /// Each channel's own table (null where the library has none).
    channel_tables: [*const f64; CHANNELS],
    /// Keeps the functions and tables above valid; dropped after `Drop::drop` deregistered.
    _library: libloading::Library,
}

// SAFETY: the pointers are into the library's own memory, valid for as long as `_library`
// keeps it loaded, and libMTS's functions may be called from any thread (hosts run clients'
// audio on threads of their own; the master writes the tables from its process while clients
// read them).
unsafe impl Send for MtsClient {}
// SAFETY: as for `Send`: nothing here is mutated through `&self`.
unsafe impl Sync for MtsClient {}

impl MtsClient {
    /// Loads the library at `path`, checks it exports every function a client needs and gives
    /// a tuning table, and registers as a client. Main thread only (loading reads files and
    /// takes the dynamic loader's lock).
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let library = open(path).map_err(LoadError::Open)?;
        let functions = Functions {
            register: symbol(&library, c"MTS_RegisterClient")?,
            deregister: symbol(&library, c"MTS_DeregisterClient")?,
            has_master: symbol(&library, c"MTS_HasMaster")?,
            filters_key: symbol(&library, c"MTS_ShouldFilterNote")?,
            filters_channel_key: symbol(&library, c"MTS_ShouldFilterNoteMultiChannel")?,
            table: symbol(&library, c"MTS_GetTuningTable")?,
            channel_table: symbol(&library, c"MTS_GetMultiChannelTuningTable")?,
            uses_channel_table: symbol(&library, c"MTS_UseMultiChannelTuning")?,
            scale_name: symbol(&library, c"MTS_GetScaleName")?,
        };
        // SAFETY: a libMTS function taking nothing; the library is loaded.
        let table = unsafe { (functions.table)() };
        if table.is_null() {
            return Err(LoadError::NoTable);
        }
        let channel_tables = std::array::from_fn(|channel| {
            // SAFETY: a libMTS function taking a channel 0 ..= 15; the library is loaded.
            unsafe { (functions.channel_table)(channel as c_char) }
        });
        // SAFETY: as above; the matching deregistration is in `Drop`.
        unsafe { (functions.register)() };
        Ok(Self {
            functions,
            table,
            channel_tables,
            _library: library,
        })
    }

    /// Whether a master is connected now.
    pub fn has_master(&self) -> bool {
        // SAFETY: a libMTS function taking nothing; the library is loaded while `self` lives.
        unsafe { (self.functions.has_master)() }
    }

    /// The master's frequency for `key` on `channel` (0-based), in Hz, as the library holds it
    /// (unchecked). Meaningful while [`has_master`](Self::has_master).
    pub fn frequency_hz(&self, channel: u8, key: u8) -> f64 {
        let table = self.table_for(channel);
        // SAFETY: every libMTS table holds `KEYS` frequencies and stays where it is while the
        // library is loaded; the index is below `KEYS`. Volatile: the master rewrites the table
        // in place from elsewhere, so each block must read it afresh.
        unsafe { table.add(usize::from(key).min(KEYS - 1)).read_volatile() }
    }

    /// Whether the master leaves `key` on `channel` out (a note on it must not play).
    pub fn filters(&self, channel: u8, key: u8) -> bool {
        let channel = channel_index(channel);
        let filters = if self.uses_channel_table(channel) {
            self.functions.filters_channel_key
        } else {
            self.functions.filters_key
        };
        // SAFETY: a libMTS function taking a key 0 ..= 127 and a channel 0 ..= 15.
        unsafe { filters(key.min(127) as c_char, channel as c_char) }
    }

    /// The master's scale name (lossy UTF-8), if it gives one. Allocates: not for the audio
    /// thread.
    pub fn scale_name(&self) -> Option<String> {
        // SAFETY: a libMTS function taking nothing; the library is loaded.
        let name = unsafe { (self.functions.scale_name)() };
        if name.is_null() {
            return None;
        }
        let mut bytes = Vec::new();
        for offset in 0..MAX_NAME_BYTES {
            // SAFETY: the library returns a zero-terminated string; reading stops at its zero
            // (or at the cap, so a string missing its zero is not read past it much).
            let byte = unsafe { name.add(offset).cast::<u8>().read_volatile() };
            if byte == 0 {
                break;
            }
            bytes.push(byte);
        }
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The table the master tunes `channel` by: its own, if the master gives it one.
    fn table_for(&self, channel: u8) -> *const f64 {
        let channel = channel_index(channel);
        if self.uses_channel_table(channel) {
            self.channel_tables[channel]
        } else {
            self.table
        }
    }

    fn uses_channel_table(&self, channel: usize) -> bool {
        // SAFETY: a libMTS function taking a channel 0 ..= 15.
        !self.channel_tables[channel].is_null()
            && unsafe { (self.functions.uses_channel_table)(channel as c_char) }
    }
}

impl Drop for MtsClient {
    fn drop(&mut self) {
        // SAFETY: registered in `load`; the library is still loaded (`_library` drops after).
        unsafe { (self.functions.deregister)() };
    }
}

/// `channel` as an index of the per-channel tables (channels past 15 share the last).
fn channel_index(channel: u8) -> usize {
    usize::from(channel).min(CHANNELS - 1)
}

/// Loads the library at `path`, binding every symbol now (`RTLD_NOW`): a lazy binding would
/// be resolved on first call — on the audio thread, under the dynamic loader's lock.
fn open(path: &Path) -> Result<libloading::Library, libloading::Error> {
    #[cfg(unix)]
    {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: loading runs the library's initialisers. The path names libMTS (or, in the
        // tests, a stand-in for it), whose initialisers only set up its shared state.
        unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }.map(Into::into)
    }
    #[cfg(not(unix))]
    {
        // SAFETY: as above.
        unsafe { libloading::Library::new(path) }
    }
}

/// The function `name` of `library`, as the function type `F` libMTS declares for it; missing
/// if the library does not export it, or exports it at address 0.
fn symbol<F: Copy>(library: &libloading::Library, name: &'static CStr) -> Result<F, LoadError> {
    const { assert!(size_of::<F>() == size_of::<*const c_void>()) };
    let missing = || LoadError::MissingSymbol(name.to_str().unwrap_or("a symbol"));
    // SAFETY: read as a plain address, which any symbol's value is.
    let address =
        unsafe { library.get::<*const c_void>(name.to_bytes_with_nul()) }.map_err(|_| missing())?;
    let address = *address;
    if address.is_null() {
        return Err(missing());
    }
    // SAFETY: a non-null address of the function `name`, whose type libMTS declares as `F`
    // (see `Functions`), a function pointer of the same size; it is called only while the
    // `MtsClient` holding `library` keeps it loaded.
    Ok(unsafe { std::mem::transmute_copy::<*const c_void, F>(&address) })
}
