//! The standalone Quintet: JACK when available, else ALSA, else a dummy backend (`--backend`).
//! `Quintet render ...` writes a WAV file instead (see [`render_cli`]). SIGINT, SIGTERM and
//! SIGHUP end the standalone cleanly, window or not (see `stop_signals`).

mod render_cli;
mod standalone_args;
#[cfg(unix)]
mod stop_signals;

use nice_plug::prelude::{Plugin, nice_export_standalone_with_args};
use quintet::Quintet;
use standalone_args::Request;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let program_path = args.next().unwrap_or_else(|| OsString::from(Quintet::NAME));
    // Named as it was run: `Quintet` from the bundle, `quintet` from cargo.
    let program = std::path::Path::new(&program_path)
        .file_name()
        .map_or(Quintet::NAME.into(), |name| {
            name.to_string_lossy().into_owned()
        });
    let args: Vec<OsString> = args.collect();
    if args.first().is_some_and(|first| first == "render") {
        return render_cli::run(&program, args.into_iter().skip(1));
    }
    match standalone_args::request(&args) {
        Request::Version => {
            println!("{} {}", Quintet::NAME, Quintet::VERSION);
            return ExitCode::SUCCESS;
        }
        Request::Help(flag) => {
            print!("{}", standalone_args::help_preface(&program));
            let _ = std::io::stdout().flush();
            // The framework prints its options and exits; the rest of the arguments do not
            // matter once help is asked for.
            let program_path = program_path.to_string_lossy().into_owned();
            nice_export_standalone_with_args::<Quintet, _>([program_path, flag.to_owned()]);
            return ExitCode::SUCCESS;
        }
        Request::Run => {}
    }
    if let Some(problem) = standalone_args::check(&args) {
        eprintln!("{program}: {problem} (see `{program} --help`)");
        return ExitCode::from(2);
    }
    #[cfg(unix)]
    if let Err(error) = stop_signals::install() {
        eprintln!("{program}: cannot watch for Ctrl-C and SIGTERM: {error}");
    }
    let no_display = quintet::editor::screen::no_display_reason();
    if let Some(reason) = &no_display {
        // Without this nice-plug would try to open the window and, when the run ends, report
        // that it could not as an error.
        eprintln!(
            "{program}: no display for the editor ({reason}); playing without a window until \
             Ctrl-C or SIGTERM"
        );
    }
    quintet::standalone::start(no_display.is_none());
    if nice_plug::nice_export_standalone::<Quintet>() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
