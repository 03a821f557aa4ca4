//! The DSP core (`PartialBank`) with each sine kernel this CPU runs, steady and with all five
//! partials gliding every block, against the naive oscillator and the memory floor (filling the
//! buffer); issue 5's targets at 512 samples.

use crate::naive::NaiveBank;
use crate::timing::{Renderer, SAMPLE_RATE_HZ, SAMPLES_PER_RUN, time_per_sample, verdict};
use quintet::dsp::sine::Kernel;
use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PARTIAL_COUNT, PartialBank};
use std::hint::black_box;

/// Block sizes a host typically uses.
const BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Block size the speed-up targets are stated for.
const TARGET_BLOCK: usize = 512;
/// Speed-up over naive the steady core must reach at [`TARGET_BLOCK`].
const STEADY_TARGET: f64 = 6.0;
/// Speed-up over naive the gliding core must reach at [`TARGET_BLOCK`].
const GLIDING_TARGET: f64 = 5.0;

/// The kernels timed: every one this CPU runs but the portable one (the same bits, slower).
pub fn timed_kernels() -> Vec<Kernel> {
    Kernel::available()
        .into_iter()
        .filter(|&kernel| kernel != Kernel::Portable)
        .collect()
}

/// Targets for the gliding bank: a new pitch every block, alternating so every block starts a
/// fresh glide.
fn glide_targets(block_index: usize) -> [f64; PARTIAL_COUNT] {
    let up = block_index.is_multiple_of(2);
    DEFAULT_FREQUENCIES_HZ.map(|hz| if up { hz * 1.5 } else { hz })
}

/// A bank rendering with `kernel`, optionally retargeting all five glides every block.
pub fn core_renderer<'a>(kernel: Kernel, gliding: bool) -> Renderer<'a> {
    let mut bank = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ).with_kernel(kernel);
    let mut block_index = 0;
    Box::new(move |out| {
        if gliding {
            for (index, hz) in glide_targets(block_index).into_iter().enumerate() {
                bank.glide_to(index, hz);
            }
            block_index += 1;
        }
        bank.render(out);
    })
}

/// Prints the core table for the block sizes `wanted` accepts, then the targets.
pub fn run(wanted: impl Fn(usize) -> bool) {
    let kernels = timed_kernels();
    println!(
        "Quintet DSP core: 5 partials at {SAMPLE_RATE_HZ} Hz, ns per output sample, median of \
         {RUNS} interleaved runs of {SAMPLES_PER_RUN} samples; the plugin uses {:?}",
        Kernel::best(),
        RUNS = crate::timing::RUNS,
    );
    let mut header = format!("{:>6} {:>8} {:>7}", "block", "naive", "floor");
    for kernel in &kernels {
        header += &format!(
            " {:>14} {:>15}",
            format!("steady {kernel:?}"),
            format!("gliding {kernel:?}")
        );
    }
    println!("{header}   (× = speed-up over naive)");
    // (kernel, steady ×, gliding ×) at TARGET_BLOCK, for the targets.
    let mut at_target_block: Vec<(Kernel, f64, f64)> = Vec::new();
    for block in BLOCK_SIZES.into_iter().filter(|&block| wanted(block)) {
        let mut naive = NaiveBank::new();
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            Box::new(|out| out.fill(black_box(0.25))),
        ];
        for &kernel in &kernels {
            renderers.push(core_renderer(kernel, false));
            renderers.push(core_renderer(kernel, true));
        }
        let ns = time_per_sample(block, &mut renderers);
        let mut row = format!("{block:>6} {:>8.3} {:>7.3}", ns[0], ns[1]);
        for core_ns in &ns[2..] {
            row += &format!(" {:>6.3} {:>5.1}×  ", core_ns, ns[0] / core_ns);
        }
        println!("{row}");
        if block == TARGET_BLOCK {
            for (kernel, pair) in kernels.iter().zip(ns[2..].chunks(2)) {
                at_target_block.push((*kernel, ns[0] / pair[0], ns[0] / pair[1]));
            }
        }
    }
    if at_target_block.is_empty() {
        return;
    }
    println!(
        "Targets (the plugin uses {:?}; Sse2 is what a CPU without AVX2 runs):",
        Kernel::best()
    );
    for (kernel, steady, gliding) in at_target_block {
        println!(
            "  {kernel:?}: steady {steady:.2}× at {TARGET_BLOCK} (≥ {STEADY_TARGET}×: {}), gliding \
             {gliding:.2}× (≥ {GLIDING_TARGET}×: {})",
            verdict(steady >= STEADY_TARGET),
            verdict(gliding >= GLIDING_TARGET)
        );
    }
}
