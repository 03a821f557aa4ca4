//! `quintet render --scale FILE.scl [--kbm FILE.kbm]`: the song's notes in the scale, and
//! every malformed, huge or special tuning file refused with the line and the reason before
//! anything is written.

use super::{midi_file, midi_path, quintet, render_wav, wav_path};
use quintet::spectrum::find_peaks;
use std::path::PathBuf;
use std::process::Command;

/// A just scale with D (key 62) as 1/1 and A4 at 432 Hz: D sounds at 288 Hz.
const JUST_SCALE: &str = "! just.scl\n5-limit just\n12\n16/15\n9/8\n6/5\n5/4\n4/3\n45/32\n3/2\n\
                          8/5\n5/3\n9/5\n15/8\n2/1\n";
const JUST_MAP: &str = "12\n0\n127\n62\n69\n432.0\n12\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";

/// A file for this test in the temp directory, holding `bytes`.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("quintet-render-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_song_renders_in_the_scale_and_map_given() {
    let notes: &[(u32, &[u8])] = &[
        (0, &[0x90, 62, 127]),
        (0, &[0x90, 69, 127]),
        (960, &[0x80, 62, 0]),
        (0, &[0x80, 69, 0]),
    ];
    let song = midi_path("tuned", &midi_file(0, 480, &[notes]));
    let scale = temp_file("just.scl", JUST_SCALE.as_bytes());
    let map = temp_file("just.kbm", JUST_MAP.as_bytes());
    let wav = render_wav(
        "tuned",
        &[
            "--midi",
            song.to_str().unwrap(),
            "--seconds",
            "1",
            "--levels",
            "0,-inf,-inf,-inf,-inf",
            "--scale",
            scale.to_str().unwrap(),
            "--kbm",
            map.to_str().unwrap(),
        ],
    );
    for path in [song, scale, map] {
        std::fs::remove_file(path).unwrap();
    }
    let mut heard: Vec<f64> = find_peaks(&wav[4800..], 48_000.0, 0.02)
        .iter()
        .map(|peak| peak.frequency_hz)
        .collect();
    heard.sort_by(f64::total_cmp);
    assert_eq!(heard.len(), 2, "{heard:?}");
    assert!((heard[0] - 288.0).abs() < 0.05, "D: {heard:?}");
    assert!((heard[1] - 432.0).abs() < 0.05, "A4: {heard:?}");
}

/// Renders with `--scale scale` (and `--kbm map`), expecting a refusal: status 2, the message
/// on stderr, no file written.
fn refused(name: &str, scale: &str, map: Option<&str>) -> String {
    let notes: &[(u32, &[u8])] = &[(0, &[0x90, 60, 127]), (480, &[0x80, 60, 0])];
    let song = midi_path(name, &midi_file(0, 480, &[notes]));
    let out = wav_path(&format!("refused-tuning-{name}"));
    let mut args = vec![
        "render",
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--midi",
        song.to_str().unwrap(),
        "--scale",
        scale,
    ];
    if let Some(map) = map {
        args.extend(["--kbm", map]);
    }
    let output = quintet(&args);
    std::fs::remove_file(&song).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    assert!(!out.exists(), "{name}: a file was written");
    stderr
}

/// The malformed files, each refused with its line and reason.
#[test]
fn malformed_scales_and_maps_are_refused_with_the_line_and_the_reason() {
    // 200 kB: under the size cap, so the count itself is what is refused.
    let many_degrees = format!("big\n100000\n{}", "2\n".repeat(100_000));
    let mut junk = vec![0u8; 4096];
    for (n, byte) in junk.iter_mut().enumerate() {
        *byte = (n * 7919 % 251) as u8;
    }
    let scales: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "missing-count",
            b"description\n".to_vec(),
            "line 1: the count of notes is missing",
        ),
        (
            "non-numeric",
            b"d\n2\n100.0\nabc\n".to_vec(),
            "line 4: \"abc\" is no pitch",
        ),
        (
            "zero-ratio",
            b"d\n2\n0/1\n2/1\n".to_vec(),
            "line 3: the ratio 0/1 has a zero",
        ),
        (
            "negative",
            b"d\n2\n-5/4\n2/1\n".to_vec(),
            "line 3: the ratio -5/4 is negative",
        ),
        (
            "count-disagrees",
            b"d\n3\n100.0\n2/1\n".to_vec(),
            "line 2: announces 3 pitches, the file has 2",
        ),
        (
            "too-many-degrees",
            many_degrees.into_bytes(),
            "line 2: 100000 notes",
        ),
        ("binary", junk, "line 1: binary data"),
    ];
    for (name, bytes, expected) in scales {
        let scale = temp_file(&format!("{name}.scl"), &bytes);
        let stderr = refused(name, scale.to_str().unwrap(), None);
        std::fs::remove_file(&scale).unwrap();
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}.scl")),
            "{name} names its file: {stderr}"
        );
    }
    let scale = temp_file("good.scl", JUST_SCALE.as_bytes());
    let maps: [(&str, &[u8], &str); 2] = [
        (
            "map-count",
            b"2\n0\n127\n60\n69\n440\n1\n0\n",
            "line 1: announces 2 keys",
        ),
        (
            "map-frequency",
            b"1\n0\n127\n60\n69\nfast\n1\n0\n",
            "line 6: the reference frequency",
        ),
    ];
    for (name, bytes, expected) in maps {
        let map = temp_file(&format!("{name}.kbm"), bytes);
        let stderr = refused(name, scale.to_str().unwrap(), Some(map.to_str().unwrap()));
        std::fs::remove_file(&map).unwrap();
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.contains(&format!("{name}.kbm")), "{name}: {stderr}");
    }
    std::fs::remove_file(&scale).unwrap();
}

/// A 50 MB file is refused after the cap is read, not slurped; a FIFO nobody writes to is
/// refused at once instead of blocking the render forever.
#[test]
fn a_huge_file_and_a_fifo_are_refused_without_reading_them_whole_or_blocking() {
    let huge = temp_file("huge.scl", &vec![b'!'; 50 * 1024 * 1024]);
    let stderr = refused("huge", huge.to_str().unwrap(), None);
    std::fs::remove_file(&huge).unwrap();
    assert!(
        stderr.contains("larger than the 256 KiB a scale file may take"),
        "{stderr}"
    );

    let fifo = std::env::temp_dir().join(format!("quintet-render-{}-fifo.scl", std::process::id()));
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let stderr = refused("fifo", fifo.to_str().unwrap(), None);
    std::fs::remove_file(&fifo).unwrap();
    assert!(stderr.contains("FIFO"), "{stderr}");
}
