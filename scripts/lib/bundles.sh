# Sourced by scripts/start, scripts/test and tests/gui: where `cargo xtask bundle` leaves the
# bundles (see xtask/src/main.rs), honouring CARGO_TARGET_DIR and any other target-dir setting.

# Prints the bundle directory of a cargo profile directory: `bundle_dir release` or
# `bundle_dir debug`.
bundle_dir() {
    local profile_dir=$1 target_dir
    target_dir="$(cargo metadata --locked --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    printf '%s/%s/bundled\n' "$target_dir" "$profile_dir"
}
