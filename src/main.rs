//! The standalone Quintet: JACK when available, else ALSA, else a dummy backend (`--backend`).
//! `quintet render ...` writes a WAV file instead (see [`render_cli`]).

mod render_cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|first| first == "render") {
        return render_cli::run(args);
    }
    if nice_plug::nice_export_standalone::<quintet::Quintet>() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
