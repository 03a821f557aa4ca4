//! The standalone Quintet: JACK when available, else ALSA, else a dummy backend (`--backend`).
//! `quintet render ...` writes a WAV file instead (see [`render_cli`]).

mod render_cli;
mod standalone_args;

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|first| first == "render") {
        return render_cli::run(args.into_iter().skip(1));
    }
    if let Some(problem) = standalone_args::check(&args) {
        let program = std::env::args().next().unwrap_or_default();
        let program = std::path::Path::new(&program)
            .file_name()
            .map_or("Quintet".into(), |name| name.to_string_lossy());
        eprintln!("{program}: {problem} (see `{program} --help`)");
        return ExitCode::from(2);
    }
    if nice_plug::nice_export_standalone::<quintet::Quintet>() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
