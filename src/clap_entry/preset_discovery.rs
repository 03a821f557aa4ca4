//! The preset-discovery factory: one provider, which declares Quintet's preset file type, the
//! factory presets (Quintet's factory folder, or inside the plugin when that folder cannot be
//! written: [`locations`](super::locations)) and the user's preset folder, and describes the
//! presets at each location a host crawls. Called by a host's indexer on its main thread,
//! possibly without any plugin instance; every string it hands over is copied by the host during
//! the call.

use super::locations::{
    FactoryPlace, Location, factory_load_key, factory_place, file_flags, user_folder,
};
use crate::Quintet;
use crate::presets::{Preset, factory, store};
use clap_sys::factory::preset_discovery::{
    CLAP_PRESET_DISCOVERY_IS_FACTORY_CONTENT, CLAP_PRESET_DISCOVERY_IS_USER_CONTENT,
    CLAP_PRESET_DISCOVERY_LOCATION_FILE, CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN,
    clap_preset_discovery_factory, clap_preset_discovery_filetype, clap_preset_discovery_indexer,
    clap_preset_discovery_location, clap_preset_discovery_location_kind,
    clap_preset_discovery_metadata_receiver, clap_preset_discovery_provider,
    clap_preset_discovery_provider_descriptor,
};
use clap_sys::universal_plugin_id::clap_universal_plugin_id;
use clap_sys::version::CLAP_VERSION;
use nice_plug::prelude::ClapPlugin;
use std::ffi::{CStr, CString, c_char, c_void};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

/// The provider's id, which hosts store with what they indexed.
pub const PROVIDER_ID: &CStr = c"org.quintet.quintet.presets";

/// The one provider, as the factory lists it and as the provider itself carries it.
static DESCRIPTOR: clap_preset_discovery_provider_descriptor =
    clap_preset_discovery_provider_descriptor {
        clap_version: CLAP_VERSION,
        id: PROVIDER_ID.as_ptr(),
        name: c"Quintet presets".as_ptr(),
        vendor: c"Quintet developers".as_ptr(),
    };

static FACTORY: clap_preset_discovery_factory = clap_preset_discovery_factory {
    count: Some(count),
    get_descriptor: Some(get_descriptor),
    create: Some(create),
};

/// The factory, as `clap_entry.get_factory` hands it out.
pub fn factory() -> *const c_void {
    &FACTORY as *const clap_preset_discovery_factory as *const c_void
}

unsafe extern "C" fn count(_factory: *const clap_preset_discovery_factory) -> u32 {
    1
}

unsafe extern "C" fn get_descriptor(
    _factory: *const clap_preset_discovery_factory,
    index: u32,
) -> *const clap_preset_discovery_provider_descriptor {
    if index == 0 {
        &DESCRIPTOR
    } else {
        std::ptr::null()
    }
}

/// A provider: CLAP's table first, so the pointer a host holds is a pointer to the whole.
#[repr(C)]
struct Provider {
    raw: clap_preset_discovery_provider,
    /// The host's indexer, alive as long as the provider.
    indexer: *const clap_preset_discovery_indexer,
}

unsafe extern "C" fn create(
    _factory: *const clap_preset_discovery_factory,
    indexer: *const clap_preset_discovery_indexer,
    provider_id: *const c_char,
) -> *const clap_preset_discovery_provider {
    if indexer.is_null() || provider_id.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a host passes a NUL-terminated provider id, alive for the call.
    if unsafe { CStr::from_ptr(provider_id) } != PROVIDER_ID {
        return std::ptr::null();
    }
    let provider = Box::new(Provider {
        raw: clap_preset_discovery_provider {
            desc: &DESCRIPTOR,
            provider_data: std::ptr::null_mut(),
            init: Some(init),
            destroy: Some(destroy),
            get_metadata: Some(get_metadata),
            get_extension: Some(get_extension),
        },
        indexer,
    });
    // Freed by `destroy`.
    &Box::leak(provider).raw
}

/// The provider behind a host's pointer.
///
/// # Safety
///
/// `provider` was returned by [`create`] and not destroyed yet.
unsafe fn provider<'a>(provider: *const clap_preset_discovery_provider) -> &'a Provider {
    // SAFETY: `raw` is the first field of the `#[repr(C)]` `Provider` that `create` leaked.
    unsafe { &*(provider as *const Provider) }
}

/// Declares the file type, the factory presets (their folder, brought up to date now, before the
/// host crawls it) and the user's folder (if it exists yet).
unsafe extern "C" fn init(raw: *const clap_preset_discovery_provider) -> bool {
    // SAFETY: the host calls `init` on a provider `create` made.
    let indexer = unsafe { provider(raw) }.indexer;
    let extension = CString::new(store::EXTENSION).expect("the extension has no NUL");
    let file_type = clap_preset_discovery_filetype {
        name: c"Quintet preset".as_ptr(),
        description: c"One Quintet preset: every sound parameter's value, in JSON".as_ptr(),
        file_extension: extension.as_ptr(),
    };
    let path = |dir: PathBuf| CString::new(dir.into_os_string().into_vec()).ok();
    let factory_path = match factory_place() {
        FactoryPlace::Folder(dir) => path(dir),
        FactoryPlace::Plugin => None,
    };
    let factory = clap_preset_discovery_location {
        flags: CLAP_PRESET_DISCOVERY_IS_FACTORY_CONTENT,
        name: c"Quintet factory presets".as_ptr(),
        kind: if factory_path.is_some() {
            CLAP_PRESET_DISCOVERY_LOCATION_FILE
        } else {
            CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN
        },
        location: factory_path
            .as_ref()
            .map_or(std::ptr::null(), |path| path.as_ptr()),
    };
    let user_path = user_folder().and_then(path);
    // SAFETY: `indexer` is the host's, alive while its provider is; the structures and their
    // strings live until the end of this function, and the host copies what it keeps.
    unsafe {
        let indexer = &*indexer;
        if let Some(declare) = indexer.declare_filetype {
            declare(indexer, &file_type);
        }
        if let Some(declare) = indexer.declare_location {
            declare(indexer, &factory);
            if let Some(path) = &user_path {
                let user = clap_preset_discovery_location {
                    flags: CLAP_PRESET_DISCOVERY_IS_USER_CONTENT,
                    name: c"Your Quintet presets".as_ptr(),
                    kind: CLAP_PRESET_DISCOVERY_LOCATION_FILE,
                    location: path.as_ptr(),
                };
                declare(indexer, &user);
            }
        }
    }
    true
}

unsafe extern "C" fn destroy(raw: *const clap_preset_discovery_provider) {
    // SAFETY: the host destroys a provider `create` leaked, once.
    drop(unsafe { Box::from_raw(raw as *mut Provider) });
}

unsafe extern "C" fn get_extension(
    _provider: *const clap_preset_discovery_provider,
    _extension_id: *const c_char,
) -> *const c_void {
    std::ptr::null()
}

/// Describes the presets at one location: every factory preset (inside the plugin), or the
/// preset in one file (factory content in Quintet's factory folder, the user's elsewhere).
/// A file that is not a Quintet preset (the folder may hold other JSON) describes none and is
/// not an error; a location that does not fit its kind is.
unsafe extern "C" fn get_metadata(
    _provider: *const clap_preset_discovery_provider,
    kind: clap_preset_discovery_location_kind,
    location: *const c_char,
    receiver: *const clap_preset_discovery_metadata_receiver,
) -> bool {
    if receiver.is_null() {
        return false;
    }
    // SAFETY: the host's receiver, alive for the call.
    let receiver = unsafe { &*receiver };
    // SAFETY: the host passes null or a NUL-terminated path, alive for the call.
    match unsafe { Location::from_raw(kind, location) } {
        Ok(Location::Factory) => {
            for preset in factory::presets() {
                if !describe(
                    receiver,
                    &preset,
                    Some(factory_load_key(&preset)),
                    CLAP_PRESET_DISCOVERY_IS_FACTORY_CONTENT,
                ) {
                    break;
                }
            }
            true
        }
        Ok(Location::File(path)) => {
            if let Ok(preset) = store::load(&path) {
                describe(receiver, &preset, None, file_flags(&path));
            }
            true
        }
        Err(error) => {
            let message = CString::new(error.to_string().replace('\0', " ")).unwrap_or_default();
            if let Some(on_error) = receiver.on_error {
                // SAFETY: the receiver's own function, with strings alive for the call.
                unsafe { on_error(receiver, 0, message.as_ptr()) };
            }
            false
        }
    }
}

/// Tells `receiver` about `preset` (under `load_key`, for a location with several): its name,
/// that it is Quintet's, and `flags`. Returns whether the host wants more presets.
fn describe(
    receiver: &clap_preset_discovery_metadata_receiver,
    preset: &Preset,
    load_key: Option<&str>,
    flags: u32,
) -> bool {
    let text = |s: &str| CString::new(s.replace('\0', " ")).unwrap_or_default();
    let name = text(&preset.name);
    let load_key = load_key.map(text);
    let plugin_id = text(Quintet::CLAP_ID);
    let id = clap_universal_plugin_id {
        abi: c"clap".as_ptr(),
        id: plugin_id.as_ptr(),
    };
    // SAFETY: the receiver's own functions, with strings and structures alive for each call.
    unsafe {
        let Some(begin) = receiver.begin_preset else {
            return false;
        };
        let key = load_key
            .as_ref()
            .map_or(std::ptr::null(), |key| key.as_ptr());
        if !begin(receiver, name.as_ptr(), key) {
            return false;
        }
        if let Some(add_plugin_id) = receiver.add_plugin_id {
            add_plugin_id(receiver, &id);
        }
        if let Some(set_flags) = receiver.set_flags {
            set_flags(receiver, flags);
        }
    }
    true
}
