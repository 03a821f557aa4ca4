//! Parameter fuzzing through the CLAP host: random, out-of-range and non-finite values, bursts of
//! thousands of events in one buffer, an event at every sample offset, and CLAP modulation. The
//! output must stay finite, never subnormal, within full scale and free of clicks; a panic in the
//! plugin would abort this process.
//!
//! What nice-plug does with such values (0.4.2, CLAP wrapper): a non-finite value or modulation
//! amount is dropped before it reaches the parameter; a finite value outside 0..1 is clamped when
//! it is converted to the plain value; a modulation offset is added to the normalized value and
//! the sum clamped to 0..1.

use quintet::dsp::GLIDE_MS;
use quintet_test_host::ClapId;
use quintet_test_host::random::{HOSTILE_VALUES, Rng};
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, assert_spectrum, max_natural_step,
    max_step,
};
use quintet_test_host::{HostEvent, ParamChange, QuintetHost};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Rounding of an f32 output sample, on top of the mathematical bound.
const STEP_SLACK: f64 = 1e-6;
/// The highest frequency the click tests reach: a step bound at 20 kHz (twice the voice level
/// at 48 kHz) would check nothing, at 2 kHz it is 0.13.
const CLICK_TEST_MAX_HZ: f64 = 2000.0;

/// The parameters' CLAP ids.
struct Ids {
    frequencies: Vec<ClapId>,
    gain: ClapId,
}

fn ids(host: &mut QuintetHost) -> Ids {
    Ids {
        frequencies: (1..=5)
            .map(|k| host.param_id(&format!("Partial {k}")))
            .collect(),
        gain: host.param_id("Gain"),
    }
}

fn active_host(max_block: usize) -> (QuintetHost, Ids) {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, max_block);
    let ids = ids(&mut host);
    (host, ids)
}

/// The normalized position of `text` on a frequency slider.
fn normalized(host: &mut QuintetHost, param: ClapId, text: &str) -> f64 {
    host.text_to_value(param, text)
        .unwrap_or_else(|| panic!("{text:?} rejected"))
}

/// Asserts that no sample-to-sample step exceeds what five full partials at up to
/// [`CLICK_TEST_MAX_HZ`] can do at unit gain.
fn assert_click_free(samples: &[f32], what: &str) {
    let bound =
        max_natural_step(&[(PARTIAL_AMPLITUDE, CLICK_TEST_MAX_HZ); 5], SAMPLE_RATE_HZ) + STEP_SLACK;
    let (step, at) = max_step(samples);
    assert!(
        step <= bound,
        "{what}: a step of {step} at sample {at}, more than the sines can do ({bound})"
    );
}

#[test]
fn random_and_hostile_values_keep_the_output_finite_and_within_full_scale() {
    let (mut host, ids) = active_host(512);
    let mut all = ids.frequencies.clone();
    all.push(ids.gain);
    let mut rng = Rng::new(0xf022_0001);
    for round in 0..40 {
        let frames = 512 * (1 + rng.below(4));
        let events: Vec<ParamChange> = (0..rng.below(64))
            .map(|_| ParamChange {
                frame: rng.below(frames),
                param: rng.pick(&all),
                normalized: if rng.below(3) == 0 {
                    rng.pick(&HOSTILE_VALUES)
                } else {
                    rng.unit()
                },
            })
            .collect();
        let audio = host.render(frames, &events);
        assert_clean(&audio, &format!("round {round}"));
    }
    for value in host.param_values() {
        assert!(
            (0.0..=1.0).contains(&value),
            "a parameter reads {value} after hostile events"
        );
    }
}

#[test]
fn non_finite_values_change_nothing() {
    let (mut host, ids) = active_host(256);
    let mut all = ids.frequencies.clone();
    all.push(ids.gain);
    let to_1_khz = normalized(&mut host, ids.frequencies[0], "1 kHz");
    host.render(
        4800,
        &[ParamChange {
            frame: 0,
            param: ids.frequencies[0],
            normalized: to_1_khz,
        }],
    );
    let before = host.param_values();
    let events: Vec<ParamChange> = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -f64::NAN]
        .iter()
        .enumerate()
        .flat_map(|(k, &value)| {
            all.iter().map(move |&param| ParamChange {
                frame: 10 + k,
                param,
                normalized: value,
            })
        })
        .collect();
    let audio = host.render(9600, &events);
    assert_clean(&audio, "non-finite values");
    assert_eq!(
        host.param_values(),
        before,
        "a non-finite value was applied"
    );
    let mut expected = DEFAULT_FREQUENCIES_HZ;
    expected[0] = 1000.0;
    assert_spectrum(
        audio.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        2.0,
        "after non-finite values",
    );
}

#[test]
fn out_of_range_values_land_on_the_ends_of_the_range() {
    let (mut host, ids) = active_host(256);
    let [low, high] = [ids.frequencies[0], ids.frequencies[1]];
    let events = [
        (low, -1e300),
        (high, 1e300),
        (ids.frequencies[2], -0.5),
        (ids.frequencies[3], 7.0),
        (ids.gain, 42.0),
    ]
    .map(|(param, normalized)| ParamChange {
        frame: 3,
        param,
        normalized,
    });
    let audio = host.render(24_000, &events);
    assert_clean(&audio, "out-of-range values");
    for (param, shown) in [
        (low, "20 Hz"),
        (high, "20.00 kHz"),
        (ids.frequencies[2], "20 Hz"),
        (ids.frequencies[3], "20.00 kHz"),
    ] {
        let value = host.param_value(param);
        assert_eq!(host.value_to_text(param, value).as_deref(), Some(shown));
    }
    assert_eq!(host.param_value(ids.gain), 1.0, "gain beyond 0 dB");
}

#[test]
fn a_burst_of_thousands_of_events_in_one_buffer_plays_cleanly_and_ends_on_the_last_value() {
    // Far more than nice-plug's default INPUT_EVENT_CAPACITY (1024), which the CLAP wrapper's
    // parameter events do not go through; with sample-accurate automation each distinct event
    // time splits the block.
    const EVENTS: usize = 6000;
    const BLOCK: usize = 2048;
    let (mut host, ids) = active_host(BLOCK);
    let top = normalized(&mut host, ids.frequencies[0], "2 kHz");
    let mut rng = Rng::new(0xb025_7000);
    let events: Vec<ParamChange> = (0..EVENTS)
        .map(|_| ParamChange {
            frame: rng.below(BLOCK),
            param: rng.pick(&ids.frequencies),
            normalized: rng.range(0.0, top),
        })
        .collect();
    let burst = host.render(BLOCK, &events);
    let settle = host.render(BLOCK * 2, &[]);
    assert_clean(&burst, "the burst");
    let samples: Vec<f32> = [burst.left(), settle.left()].concat();
    assert_click_free(&samples, "a burst of 6000 events");

    // Each parameter holds the last value sent to it (events at one frame keep their order).
    let mut sorted = events.clone();
    sorted.sort_by_key(|e| e.frame);
    for &param in &ids.frequencies {
        let last = sorted.iter().rev().find(|e| e.param == param).unwrap();
        let value = host.param_value(param);
        assert_eq!(
            host.value_to_text(param, value),
            host.value_to_text(param, last.normalized),
            "the last of the burst's values for {param:?}"
        );
    }
}

#[test]
fn an_event_at_every_sample_offset_glides_without_a_click() {
    for block in [1, 17, 256] {
        let (mut host, ids) = active_host(block);
        let low = normalized(&mut host, ids.frequencies[0], "100 Hz");
        let high = normalized(&mut host, ids.frequencies[0], "2 kHz");
        let frames = 4096;
        let events: Vec<ParamChange> = (0..frames)
            .map(|frame| ParamChange {
                frame,
                param: ids.frequencies[frame % 5],
                normalized: if (frame / 5) % 2 == 0 { high } else { low },
            })
            .collect();
        let audio = host.render(frames, &events);
        let what = format!("an event at every sample, blocks of {block}");
        assert_clean(&audio, &what);
        assert_click_free(audio.left(), &what);
    }
}

/// A modulation offset moves what the partial plays, not the value saved in the project; an
/// offset of zero restores the value; a non-finite offset is ignored.
#[test]
fn modulation_moves_the_partial_and_hostile_amounts_are_harmless() {
    let (mut host, ids) = active_host(512);
    let freq1 = ids.frequencies[0];
    let at_200 = host.param_value(freq1);
    let at_1_khz = normalized(&mut host, freq1, "1 kHz");
    let glide = (GLIDE_MS * 1e-3 * SAMPLE_RATE_HZ) as usize * 2;
    let modulate = |frame, amount| {
        HostEvent::Mod(ParamChange {
            frame,
            param: freq1,
            normalized: amount,
        })
    };

    let unmodulated_state = host.save_state();
    let moved = host.render_events([512; 40], &[modulate(0, at_1_khz - at_200)]);
    let mut expected = DEFAULT_FREQUENCIES_HZ;
    expected[0] = 1000.0;
    let what = "modulated up to 1 kHz";
    assert_clean(&moved, what);
    assert_spectrum(
        &moved.left()[glide..],
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        2.0,
        what,
    );
    // nice-plug's `get_value` reports the modulated value, but the project state keeps the
    // unmodulated one, as CLAP asks.
    assert_eq!(
        host.save_state(),
        unmodulated_state,
        "modulation leaked into the saved state"
    );

    let hostile: Vec<HostEvent> = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY]
        .iter()
        .enumerate()
        .map(|(k, &amount)| modulate(k, amount))
        .collect();
    let kept = host.render_events([512; 40], &hostile);
    let what = "non-finite modulation amounts";
    assert_clean(&kept, what);
    assert_spectrum(
        kept.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        2.0,
        what,
    );

    let back = host.render_events([512; 40], &[modulate(0, 0.0)]);
    let what = "modulation back to zero";
    assert_clean(&back, what);
    assert_spectrum(
        &back.left()[glide..],
        SAMPLE_RATE_HZ,
        &DEFAULT_FREQUENCIES_HZ,
        PARTIAL_AMPLITUDE,
        2.0,
        what,
    );
    let joined: Vec<f32> = [moved.left(), kept.left(), back.left()].concat();
    assert_click_free(&joined, "modulation");
}

#[test]
fn random_modulation_and_automation_together_stay_clean_and_click_free() {
    let (mut host, ids) = active_host(256);
    let top = normalized(&mut host, ids.frequencies[0], "2 kHz");
    let mut rng = Rng::new(0x40d_0001);
    let mut samples = Vec::new();
    for _ in 0..40 {
        let events: Vec<HostEvent> = (0..rng.below(40))
            .map(|_| {
                let param = rng.pick(&ids.frequencies);
                let frame = rng.below(1024);
                // Base values and offsets that together stay below 2 kHz.
                if rng.below(2) == 0 {
                    HostEvent::Value(ParamChange {
                        frame,
                        param,
                        normalized: rng.range(0.0, top / 2.0),
                    })
                } else {
                    HostEvent::Mod(ParamChange {
                        frame,
                        param,
                        normalized: rng.range(-top / 2.0, top / 2.0),
                    })
                }
            })
            .collect();
        let audio = host.render_events([256; 4], &events);
        assert_clean(&audio, "random modulation");
        samples.extend_from_slice(audio.left());
    }
    assert_click_free(&samples, "random modulation and automation");
}
