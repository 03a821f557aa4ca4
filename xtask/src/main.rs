//! `cargo xtask bundle quintet [--release]` builds the CLAP and VST3 bundles and the standalone,
//! and leaves them in `target/<profile>/bundled/`: `target/release/bundled/` for release builds,
//! `target/debug/bundled/` for dev builds.
//!
//! nice-plug's bundler always writes to `target/bundled/`, whatever the profile, so the test
//! suite's debug bundles (which abort a host that allocates on the audio thread) used to replace
//! the release bundles a user installs from there. This wrapper runs the bundler unchanged and
//! then moves what it wrote beside the profile's other build output, as cargo itself keeps
//! profiles apart. Every other command goes to the bundler as it is.

use anyhow::Context;
use std::path::{Path, PathBuf};

fn main() -> nice_plug_xtask::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    nice_plug_xtask::main_with_args("cargo xtask", args.iter().cloned())?;
    if matches!(args.first().map(String::as_str), Some("bundle")) {
        let target_dir = cargo_metadata::MetadataCommand::new()
            .no_deps()
            .exec()
            .context("reading `cargo metadata` to find the target directory")?
            .target_directory
            .into_std_path_buf();
        let destination = target_dir.join(profile_dir(&args)).join("bundled");
        let staging = target_dir.join("bundled");
        move_bundles(&staging, &destination)?;
        // Only the bundler's own folder, and only when nothing else is left in it.
        let _ = std::fs::remove_dir(&staging);
        println!("Bundles are in {}", destination.display());
    }
    Ok(())
}

/// The directory cargo builds `args`' profile into: `release` for `--release`, the profile's
/// name for `--profile NAME` (`debug` for `dev`), else `debug`.
fn profile_dir(args: &[String]) -> String {
    let mut profile = "dev".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--release" || arg == "-r" {
            profile = "release".to_owned();
        } else if let Some(name) = arg.strip_prefix("--profile=") {
            profile = name.to_owned();
        } else if arg == "--profile"
            && let Some(name) = args.next()
        {
            profile = name.clone();
        }
    }
    match profile.as_str() {
        "dev" | "test" => "debug".to_owned(),
        "bench" => "release".to_owned(),
        _ => profile,
    }
}

/// Moves every bundle from `staging` into `destination`, replacing older ones there.
fn move_bundles(staging: &Path, destination: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(destination)
        .with_context(|| format!("creating {}", destination.display()))?;
    for entry in
        std::fs::read_dir(staging).with_context(|| format!("reading {}", staging.display()))?
    {
        let from = entry?.path();
        let to: PathBuf = destination.join(from.file_name().context("a bundle's name")?);
        if to.is_dir() {
            std::fs::remove_dir_all(&to)
        } else if to.exists() {
            std::fs::remove_file(&to)
        } else {
            Ok(())
        }
        .with_context(|| format!("removing the old {}", to.display()))?;
        std::fs::rename(&from, &to)
            .with_context(|| format!("moving {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::profile_dir;

    fn dir(args: &[&str]) -> String {
        profile_dir(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn each_profile_bundles_beside_its_own_build() {
        assert_eq!(dir(&["bundle", "quintet"]), "debug");
        assert_eq!(dir(&["bundle", "quintet", "--release"]), "release");
        assert_eq!(dir(&["bundle", "quintet", "--profile", "dev"]), "debug");
        assert_eq!(
            dir(&["bundle", "quintet", "--profile=profiling"]),
            "profiling"
        );
        assert_eq!(
            dir(&["bundle", "quintet", "--locked", "--profile", "release"]),
            "release"
        );
    }
}
