//! `cargo xtask bundle quintet --release` builds the CLAP and VST3 bundles and the standalone
//! into `target/bundled/`.

fn main() -> nice_plug_xtask::Result<()> {
    nice_plug_xtask::main()
}
