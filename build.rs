//! Link flags for the plugin library.

fn main() {
    // Keep the plugin mapped once a host has loaded it, even after the host unloads it. Rust's
    // thread-local destructors registered by the plugin (the framework's logger, channels) run
    // when a host thread exits; if the library were gone by then they would jump into unmapped
    // memory and crash the host (rust-lang/rust#91979). Seen in the CLAP host tests as
    // intermittent SIGSEGVs of threads exiting after the library was closed.
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
