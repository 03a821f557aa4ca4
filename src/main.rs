//! The standalone Quintet: JACK when available, else ALSA, else a dummy backend (`--backend`).

fn main() {
    nice_plug::nice_export_standalone::<quintet::Quintet>();
}
