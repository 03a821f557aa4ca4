"""Phase-continuous whatever the block sizes: any way the samples are asked for, in new arrays
or in place, gives the same samples, across the notebook's buffer seams too."""

import numpy as np
import pytest
import quintet
from reference import NotebookOscillator, exact_partials, seam_report, steepest_step

RATE_HZ = 48_000


def test_render_64_n_times_equals_render_64_n():
    blocks = 750
    q_blocks, q_once = quintet.Quintet(), quintet.Quintet()
    pieces = [q_blocks.render(64) for _ in range(blocks)]
    assert all(piece.shape == (64,) for piece in pieces)
    np.testing.assert_array_equal(np.concatenate(pieces), q_once.render(64 * blocks))
    assert q_blocks.samples_rendered == q_once.samples_rendered == 64 * blocks


def test_any_block_sizes_give_the_same_samples_across_glides_and_ramps():
    """Random block sizes (0 and 1 among them), in new arrays and in place, while partials
    glide and levels and gain ramp, equal one render of the whole."""
    rng = np.random.default_rng(15)
    total, change_at = 96_000, 30_000
    changes = dict(frequencies=(440, 1250.5, 97, 3000, 20), levels=(0.5, 1, 0, 0.25, 1), gain=0.7)

    def play(sizes, into):
        q = quintet.Quintet(sample_rate=RATE_HZ, frequencies=(20, 250, 300, 350, 20000))
        out, done, changed = [], 0, False
        for size in sizes:
            if not changed and done + size > change_at:  # the change falls in this block
                head = change_at - done
                out.append(q.render(head))
                q.frequencies, q.levels, q.gain = changes["frequencies"], changes["levels"], changes["gain"]
                changed, size, done = True, size - head, change_at
            if into:
                buffer = np.full(size, np.nan, dtype=np.float32)
                q.render_into(buffer)
                out.append(buffer)
            else:
                out.append(q.render(size))
            done += size
        return np.concatenate(out)

    whole = play([total], into=False)
    sizes = rng.choice([0, 1, 2, 3, 7, 64, 100, 127, 128, 129, 1000, 4096, 5000], size=4000)
    sizes = sizes[np.cumsum(sizes) <= total]
    sizes = np.r_[sizes, total - sizes.sum()]
    np.testing.assert_array_equal(play(sizes, into=False), whole)
    np.testing.assert_array_equal(play(sizes, into=True), whole)
    assert np.abs(whole[change_at + 2_000 :]).max() > 0.1


def test_render_returns_float32_arrays_and_render_into_writes_in_place():
    q = quintet.Quintet()
    block = q.render(256)
    assert block.dtype == np.float32 and block.ndim == 1 and block.flags.c_contiguous
    assert block.flags.writeable and len(q.render(0)) == 0

    # In place: through a view of a larger array, with no copy back and forth.
    whole = np.zeros(1024, dtype=np.float32)
    view = whole[256:512]
    address = view.ctypes.data
    assert q.render_into(view) is None
    assert view.ctypes.data == address
    np.testing.assert_array_equal(whole[256:512], quintet.render(512 / 48_000)[256:])
    assert not whole[:256].any() and not whole[512:].any()


def test_two_notebook_buffers_glue_without_a_seam_unlike_the_notebooks_fill():
    """The notebook's job: 4096-sample buffers at 44.1 kHz. Quintet's second buffer continues
    the exact sines; the notebook's fill (time axis with the endpoint) skips a sample there."""
    rate, buffer, frequencies = 44_100, 4096, (200.0, 250.0, 300.0, 350.0, 400.0)
    q = quintet.Quintet(sample_rate=rate, frequencies=frequencies)
    ours = np.concatenate([q.render(buffer), q.render(buffer)])
    report = seam_report(ours, frequencies, rate, seam=buffer)
    assert report["error_before_seam"] < 1e-6 and report["error_after_seam"] < 1e-6
    assert report["step_at_seam"] <= report["steepest_possible_step"] == steepest_step(frequencies, rate)

    notebook = NotebookOscillator(frequencies, rate, buffer)
    theirs = np.concatenate([notebook.next_buffer(), notebook.next_buffer()])
    report = seam_report(theirs, frequencies, rate, seam=buffer)
    assert report["error_before_seam"] < 1e-6, "the first buffer is right"
    assert report["error_after_seam"] > 1e-2, "the second is not"
    # It is the exact signal one sample on: each buffer advanced 4097 samples' worth.
    np.testing.assert_allclose(
        theirs[buffer:], exact_partials(frequencies, buffer + 1, buffer, rate), rtol=0, atol=1e-6
    )


@pytest.mark.parametrize("rate", [8_000, 44_100, 48_000, 96_000, 768_000])
def test_the_first_samples_are_the_notebooks_sines_at_every_rate(rate):
    frequencies = (200.0, 250.0, 300.0, 350.0, 400.0)
    played = quintet.Quintet(sample_rate=rate).render(rate // 10)
    np.testing.assert_allclose(played, exact_partials(frequencies, 0, rate // 10, rate), rtol=0, atol=1e-6)
