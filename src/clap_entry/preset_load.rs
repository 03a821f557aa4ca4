//! The preset-load extension: a host loads a preset it found through the discovery factory
//! (src/clap_entry/preset_discovery.rs). Called on the main thread; the preset is applied
//! exactly as the editor's preset bar applies one ([`presets::apply`]): values queued for the
//! audio thread, which switches at once without a click and allocates nothing. A file in
//! Quintet's factory folder is brought up to date first, so an edit there never loads.

use super::instance::Instance;
use super::locations::{Location, LocationError, in_factory_folder};
use crate::presets::{self, factory_files};
use clap_sys::ext::preset_load::{
    CLAP_EXT_PRESET_LOAD, CLAP_EXT_PRESET_LOAD_COMPAT, clap_host_preset_load,
    clap_plugin_preset_load,
};
use clap_sys::factory::preset_discovery::clap_preset_discovery_location_kind;
use clap_sys::host::clap_host;
use clap_sys::plugin::clap_plugin;
use std::ffi::{CStr, CString, c_char, c_void};

static PRESET_LOAD: clap_plugin_preset_load = clap_plugin_preset_load {
    from_location: Some(from_location),
};

/// The extension, as the plugin's `get_extension` hands it out.
pub fn extension() -> *const c_void {
    &PRESET_LOAD as *const clap_plugin_preset_load as *const c_void
}

unsafe extern "C" fn from_location(
    plugin: *const clap_plugin,
    kind: clap_preset_discovery_location_kind,
    location: *const c_char,
    load_key: *const c_char,
) -> bool {
    if plugin.is_null() {
        return false;
    }
    // SAFETY: the host passes the plugin it holds.
    let instance = unsafe { Instance::of(plugin) };
    // SAFETY: the host passes null or NUL-terminated strings, alive for the call.
    let key = (!load_key.is_null()).then(|| unsafe { CStr::from_ptr(load_key) });
    // SAFETY: as above.
    let preset = unsafe { Location::from_raw(kind, location) }.and_then(|place| {
        if let Location::File(path) = &place
            && in_factory_folder(path)
            && let Err(error) = factory_files::sync()
        {
            nice_plug::nice_warn!("The factory presets could not be brought up to date: {error}");
        }
        let key = key
            .map(|key| key.to_str())
            .transpose()
            .map_err(|_| LocationError::Invalid("a load key that is not UTF-8".into()))?;
        place.preset(key)
    });
    // SAFETY: the host of the instance, on its main thread (preset-load's thread), with the
    // host's own strings, alive for the call.
    let host = unsafe { host_preset_load(instance.host) };
    match preset {
        Ok(preset) => {
            presets::apply(&preset, &instance.params, &instance.context);
            if let Some((host, extension)) = host
                && let Some(loaded) = extension.loaded
            {
                // SAFETY: the host's function, with the strings it passed.
                unsafe { loaded(host, kind, location, load_key) };
            }
            true
        }
        Err(error) => {
            nice_plug::nice_warn!("Could not load a preset the host asked for: {error}");
            if let Some((host, extension)) = host
                && let Some(on_error) = extension.on_error
            {
                let message =
                    CString::new(error.to_string().replace('\0', " ")).unwrap_or_default();
                // SAFETY: the host's function, with its strings and a message alive for the call.
                unsafe { on_error(host, kind, location, load_key, 0, message.as_ptr()) };
            }
            false
        }
    }
}

/// The host's side of preset-load, if it has one.
///
/// # Safety
///
/// `host` is the instance's host, and this runs on its main thread.
unsafe fn host_preset_load(
    host: *const clap_host,
) -> Option<(*const clap_host, &'static clap_host_preset_load)> {
    // SAFETY: the caller's host, alive as long as the instance.
    let get_extension = unsafe { host.as_ref()?.get_extension? };
    [CLAP_EXT_PRESET_LOAD, CLAP_EXT_PRESET_LOAD_COMPAT]
        .into_iter()
        // SAFETY: the host's function with its own pointer and an extension id.
        .map(|id| unsafe { get_extension(host, id.as_ptr()) } as *const clap_host_preset_load)
        // SAFETY: a non-null answer is the host's extension, alive as long as the host.
        .find_map(|extension| unsafe { extension.as_ref() })
        .map(|extension| (host, extension))
}
