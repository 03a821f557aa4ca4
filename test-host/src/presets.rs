//! A host's preset browser: lists the presets the plugin's preset-discovery factory declares
//! (every location crawled as a DAW's indexer crawls it: the plugin's own presets, and each file
//! with a declared extension in a declared folder), and loads one through the plugin's
//! preset-load extension.

use crate::instance::{QuintetHost, host_info, load_entry};
use clack_extensions::preset_discovery::indexer::IndexerImpl;
use clack_extensions::preset_discovery::metadata_receiver::MetadataReceiverImpl;
use clack_extensions::preset_discovery::prelude::*;
use clack_extensions::preset_discovery::provider::Provider;
use clack_host::prelude::HostError;
use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The folder the plugin loaded by this process takes as the user's preset folder: beside the
/// executable (target/<profile>/deps), one per process, so a test never reads or writes the real
/// user's presets. Not created: a test that needs it creates it. The plugin keeps its factory
/// presets as files beside it (`factory-user-presets-PID`), derived from it, so also the test's.
pub fn user_preset_dir() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        crate::plugin_log::beside_executable(&format!("user-presets-{}", std::process::id()))
    })
}

/// Points `QUINTET_PRESET_DIR` at [`user_preset_dir`] (and `XDG_STATE_HOME`, where the
/// standalone keeps its session, at a folder beside it) before `main`, for the reasons
/// `plugin_log` sets `NICE_LOG` there: only before `main` is setting the environment sound.
/// Children inherit it; a test that wants another folder sets it for its child.
// SAFETY: as for `plugin_log`'s initialiser: called once by the C runtime before `main`, needs
// nothing std sets up in `main`, does not unwind.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static POINT_PRESET_DIR_AT_TEST_FOLDER: extern "C" fn() = point_preset_dir_at_test_folder;

#[cfg(target_os = "linux")]
extern "C" fn point_preset_dir_at_test_folder() {
    // SAFETY: before `main`, the process's only thread (see `plugin_log`).
    unsafe { std::env::set_var("QUINTET_PRESET_DIR", user_preset_dir()) };
    // The standalones the tests run keep their sessions there too, not in the user's home.
    let state = user_preset_dir().with_file_name(format!("user-state-{}", std::process::id()));
    // SAFETY: as above.
    unsafe { std::env::set_var("XDG_STATE_HOME", state) };
}

/// Where a listed preset is, as the provider declared it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PresetPlace {
    /// Inside the plugin.
    Plugin,
    /// A file.
    File(PathBuf),
}

/// One preset the provider described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedPreset {
    pub name: String,
    pub place: PresetPlace,
    /// The key that picks it out of its location (none for a file of one preset).
    pub load_key: Option<String>,
    /// CLAP ids of the plugins it is for (abi "clap").
    pub plugin_ids: Vec<String>,
    /// CLAP's preset flags (factory 1, user 2, …).
    pub flags: u32,
}

/// What a provider declared while it was initialised.
#[derive(Default)]
struct Declared {
    extensions: Vec<String>,
    locations: Vec<(PresetPlace, u32)>,
}

impl IndexerImpl for Declared {
    fn declare_filetype(&mut self, file_type: FileType) -> Result<(), HostError> {
        let extension = file_type.file_extension.map(text).unwrap_or_default();
        self.extensions.push(extension);
        Ok(())
    }

    fn declare_location(&mut self, location: LocationInfo) -> Result<(), HostError> {
        let place = match location.location {
            Location::Plugin => PresetPlace::Plugin,
            Location::File { path } => {
                PresetPlace::File(PathBuf::from(std::ffi::OsStr::from_bytes(path.to_bytes())))
            }
        };
        self.locations.push((place, location.flags.bits()));
        Ok(())
    }

    fn declare_soundpack(&mut self, _soundpack: Soundpack) -> Result<(), HostError> {
        Ok(())
    }
}

/// Collects what a provider describes at one location.
struct Receiver {
    place: PresetPlace,
    location_flags: u32,
    presets: Vec<ListedPreset>,
    errors: Vec<String>,
}

impl MetadataReceiverImpl for Receiver {
    fn on_error(&mut self, error_code: i32, error_message: Option<&CStr>) {
        let message = error_message.map(text).unwrap_or_default();
        self.errors
            .push(format!("{message} (os error {error_code})"));
    }

    fn begin_preset(
        &mut self,
        name: Option<&CStr>,
        load_key: Option<&CStr>,
    ) -> Result<(), HostError> {
        self.presets.push(ListedPreset {
            name: name.map(text).unwrap_or_default(),
            place: self.place.clone(),
            load_key: load_key.map(text),
            plugin_ids: Vec::new(),
            flags: self.location_flags,
        });
        Ok(())
    }

    fn add_plugin_id(&mut self, plugin_id: UniversalPluginId) {
        if let Some(preset) = self.presets.last_mut()
            && plugin_id.abi == c"clap"
        {
            preset.plugin_ids.push(text(plugin_id.id));
        }
    }

    fn set_soundpack_id(&mut self, _soundpack_id: &CStr) {}

    fn set_flags(&mut self, flags: Flags) {
        if let Some(preset) = self.presets.last_mut() {
            preset.flags = flags.bits();
        }
    }

    fn add_creator(&mut self, _creator: &CStr) {}
    fn set_description(&mut self, _description: &CStr) {}
    fn set_timestamps(&mut self, _creation: Option<Timestamp>, _modification: Option<Timestamp>) {}
    fn add_feature(&mut self, _feature: &CStr) {}
    fn add_extra_info(&mut self, _key: &CStr, _value: &CStr) {}
}

fn text(s: &CStr) -> String {
    s.to_string_lossy().into_owned()
}

/// Every preset the plugin's providers describe, in the order they describe them, and every
/// error they reported. Panics if the plugin has no preset-discovery factory.
pub fn list_presets() -> (Vec<ListedPreset>, Vec<String>) {
    let entry = load_entry();
    let factory = entry
        .get_factory::<PresetDiscoveryFactory>()
        .expect("a preset-discovery factory");
    let ids: Vec<CString> = factory
        .provider_descriptors()
        .filter_map(|descriptor| descriptor.id().map(CStr::to_owned))
        .collect();
    let (mut presets, mut errors) = (Vec::new(), Vec::new());
    for id in ids {
        let mut provider = Provider::instantiate(Declared::default(), &entry, &id, &host_info())
            .expect("the provider initialises");
        let extensions = provider.indexer().extensions.clone();
        let locations = provider.indexer().locations.clone();
        for (place, flags) in locations {
            let files = match &place {
                PresetPlace::Plugin => vec![PresetPlace::Plugin],
                PresetPlace::File(dir) if dir.is_dir() => {
                    let mut files: Vec<_> = std::fs::read_dir(dir)
                        .expect("a declared folder can be read")
                        .filter_map(Result::ok)
                        .map(|entry| entry.path())
                        .filter(|path| {
                            path.extension()
                                .is_some_and(|e| extensions.iter().any(|x| e == x.as_str()))
                        })
                        .map(PresetPlace::File)
                        .collect();
                    files.sort_by_key(|place| format!("{place:?}"));
                    files
                }
                PresetPlace::File(_) => vec![place.clone()],
            };
            for file in files {
                let mut receiver = Receiver {
                    place: file.clone(),
                    location_flags: flags,
                    presets: Vec::new(),
                    errors: Vec::new(),
                };
                match &file {
                    PresetPlace::Plugin => provider.get_metadata(Location::Plugin, &mut receiver),
                    PresetPlace::File(path) => {
                        let path = CString::new(path.as_os_str().as_bytes()).expect("no NUL");
                        provider.get_metadata(Location::File { path: &path }, &mut receiver);
                    }
                }
                presets.append(&mut receiver.presets);
                errors.append(&mut receiver.errors);
            }
        }
    }
    (presets, errors)
}

impl QuintetHost {
    /// Loads `preset` through the plugin's preset-load extension, as a host's preset browser
    /// does; returns whether the plugin accepted it. Panics if the plugin has no preset-load.
    pub fn load_preset(&mut self, preset: &ListedPreset) -> bool {
        let handle = self.instance.plugin_handle();
        let extension: PluginPresetLoad =
            handle.get_extension().expect("the preset-load extension");
        let key = preset
            .load_key
            .as_ref()
            .map(|key| CString::new(key.as_str()).expect("no NUL"));
        let result = match &preset.place {
            PresetPlace::Plugin => {
                extension.load_from_location(&handle, Location::Plugin, key.as_deref())
            }
            PresetPlace::File(path) => {
                let path = CString::new(path.as_os_str().as_bytes()).expect("no NUL");
                extension.load_from_location(
                    &handle,
                    Location::File { path: &path },
                    key.as_deref(),
                )
            }
        };
        result.is_ok()
    }
}
