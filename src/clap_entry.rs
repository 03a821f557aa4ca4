//! Quintet's CLAP entry point. nice-plug's `nice_export_clap!` hands a host its plugin factory
//! and nothing else; Quintet's entry also hands it a preset-discovery factory, so a host's
//! preset browser lists the factory presets and the user's, and the plugin answers the
//! preset-load extension the framework does not offer, so the host can load what it listed.
//!
//! - [`plugin_factory`]: nice-plug's plugin, created as the framework's macro creates it, behind
//!   a thin layer ([`instance`]) that adds preset-load ([`preset_load`]) and forwards everything
//!   else to the framework.
//! - [`preset_discovery`]: the provider that declares where the presets are and describes them.
//! - [`locations`]: what a preset location and load key mean to Quintet, for both.

#[cfg(not(test))]
mod instance;
pub mod locations;
pub mod made_params;
#[cfg(not(test))]
mod plugin_factory;
pub mod preset_discovery;
#[cfg(not(test))]
mod preset_load;

#[cfg(not(test))]
pub use entry::clap_entry;

/// The exported entry. Left out of the unit tests' build, as nice-plug's macro was: it would
/// compile nice-plug's CLAP wrapper into that build a second time.
#[cfg(not(test))]
mod entry {
    use super::{plugin_factory, preset_discovery};
    use clap_sys::entry::clap_plugin_entry;
    use clap_sys::factory::plugin_factory::CLAP_PLUGIN_FACTORY_ID;
    use clap_sys::factory::preset_discovery::{
        CLAP_PRESET_DISCOVERY_FACTORY_ID, CLAP_PRESET_DISCOVERY_FACTORY_ID_COMPAT,
    };
    use clap_sys::version::CLAP_VERSION;
    use std::ffi::{CStr, c_char, c_void};

    /// The CLAP plugin's entry point: the symbol a host looks up in the library.
    #[unsafe(no_mangle)]
    #[used]
    pub static clap_entry: clap_plugin_entry = clap_plugin_entry {
        clap_version: CLAP_VERSION,
        init: Some(init),
        deinit: Some(deinit),
        get_factory: Some(get_factory),
    };

    extern "C" fn init(_plugin_path: *const c_char) -> bool {
        nice_plug::wrapper::setup_logger::<crate::Quintet>();
        true
    }

    extern "C" fn deinit() {}

    /// The plugin factory, and the preset-discovery factory under its id and the draft id
    /// hosts older than CLAP 1.2 ask for.
    extern "C" fn get_factory(factory_id: *const c_char) -> *const c_void {
        if factory_id.is_null() {
            return std::ptr::null();
        }
        // SAFETY: a host passes a NUL-terminated factory id, alive for the call.
        let id = unsafe { CStr::from_ptr(factory_id) };
        if id == CLAP_PLUGIN_FACTORY_ID {
            plugin_factory::factory()
        } else if id == CLAP_PRESET_DISCOVERY_FACTORY_ID
            || id == CLAP_PRESET_DISCOVERY_FACTORY_ID_COMPAT
        {
            preset_discovery::factory()
        } else {
            std::ptr::null()
        }
    }
}
