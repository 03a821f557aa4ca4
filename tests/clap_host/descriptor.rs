//! What a DAW sees before it plays a note: the plugin's descriptor and its audio layouts.

use quintet_test_host::signal::assert_clean;
use quintet_test_host::{QuintetHost, descriptors};

#[test]
fn the_entry_describes_one_instrument_named_quintet() {
    let descriptors = descriptors();
    assert_eq!(descriptors.len(), 1, "{descriptors:?}");
    let quintet = &descriptors[0];
    assert_eq!(quintet.id, "org.quintet.quintet");
    assert_eq!(quintet.name, "Quintet");
    assert_eq!(quintet.version, env!("CARGO_PKG_VERSION"));
    assert!(!quintet.vendor.is_empty());
    for feature in ["instrument", "synthesizer"] {
        assert!(
            quintet.features.iter().any(|f| f == feature),
            "feature {feature:?} missing from {:?}",
            quintet.features
        );
    }
    // An instrument must not also claim to be an effect: hosts would file it in the wrong list.
    assert!(!quintet.features.iter().any(|f| f == "audio-effect"));
}

#[test]
fn the_default_layout_is_a_stereo_output_and_no_input() {
    let mut host = QuintetHost::new();
    assert_eq!(host.audio_ports(true), vec![], "no audio input");
    let outputs = host.audio_ports(false);
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    assert!(outputs[0].is_main);
    assert_eq!(outputs[0].channel_count, 2);
    assert_eq!(outputs[0].port_type.as_deref(), Some("stereo"));
}

#[test]
fn the_layouts_offered_are_stereo_then_mono_without_input() {
    let mut host = QuintetHost::new();
    let configs = host.port_configs();
    let summary: Vec<_> = configs
        .iter()
        .map(|c| {
            (
                c.input_port_count,
                c.main_input_channels,
                c.output_port_count,
                c.main_output.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, None, 1, Some((2, Some("stereo".to_owned())))),
            (0, None, 1, Some((1, Some("mono".to_owned())))),
        ]
    );
}

#[test]
fn the_mono_layout_plays_the_same_signal_as_each_stereo_channel() {
    let frames = 4800;
    let mut stereo = QuintetHost::new();
    stereo.activate(48_000.0, 512);
    let stereo_audio = stereo.render(frames, &[]);

    let mut mono = QuintetHost::new();
    let mono_config = mono.port_configs()[1].id;
    assert!(mono.select_port_config(mono_config));
    let outputs = mono.audio_ports(false);
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs[0].channel_count, 1, "{outputs:?}");
    mono.activate(48_000.0, 512);
    let mono_audio = mono.render(frames, &[]);

    assert_eq!(mono_audio.channels.len(), 1);
    assert_clean(&mono_audio, "mono");
    assert_clean(&stereo_audio, "stereo");
    assert_eq!(mono_audio.left(), stereo_audio.left());
}
