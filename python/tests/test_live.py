"""The live player's kernel side, with a stand-in for the page (the real page is
test_live_browser.py's): what it streams, at which pace, to whom, and when it stops.

The stand-in answers as player.js does: a "hello" when it shows, then reports of the frames its
worklet played, stamped with its clock; the player's `send` is caught instead of going to a
comm."""

import threading
import time

import numpy as np
import pytest

import quintet
from quintet import _player


class Page:
    """What a page would receive from `player`, and the messages it sends back."""

    def __init__(self, player):
        self.player = player
        self.blocks = []
        self.controls = []
        self.lock = threading.Lock()
        player.send = self.receive

    def receive(self, content, buffers=None):
        with self.lock:
            if content["type"] == "audio":
                self.blocks.append(np.frombuffer(bytes(buffers[0]), dtype=np.float32))
            else:
                self.controls.append(content)

    def sent_frames(self):
        with self.lock:
            return sum(len(block) for block in self.blocks)

    def say(self, kind, **fields):
        self.player._on_message(self.player, {"type": kind, "t": time.monotonic(), **fields}, [])

    def report(self, played, running=True):
        self.say("report", epoch=self.player.epoch, played=played, running=running)


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def player():
    made = []

    def make(q=None, **options):
        made.append(quintet.live(q if q is not None else quintet.Quintet(), **options))
        return made[-1]

    yield make
    for p in made:
        p.close()


def test_one_engine_streams_to_one_player(player):
    q = quintet.Quintet()
    first = player(q)
    with pytest.raises(RuntimeError, match="already streams"):
        quintet.live(q)
    # play() gives back the player there is, started.
    assert q.play() is first and first.playing
    first.close()
    # Closed, it lets the engine have another; other engines have their own.
    second = player(q)
    assert second is not first
    assert player() is not second


def test_without_a_page_nothing_streams(player):
    p = player()
    page = Page(p)
    p.start()
    time.sleep(0.1)
    assert not p.streaming and page.sent_frames() == 0


def test_the_stream_is_the_engines_samples_kept_ahead_of_the_page(player):
    rate = 48_000.0
    p = player(quintet.Quintet(sample_rate=rate), ahead_ms=100, block=512)
    twin = quintet.Quintet(sample_rate=rate)
    page = Page(p)
    p.start()
    page.say("hello")
    page.report(0)
    ahead = 0.1 * rate
    # Until the page's first report the kernel supposes it plays from the start, and may send
    # a little more: the page plays all that first.
    wait_until(lambda: page.sent_frames() >= ahead)
    played = page.sent_frames()
    # A page that plays on, in steps, and one that stalls (its reports say it played nothing
    # more), reporting every 5 ms: the kernel keeps `ahead` in front of what the page played,
    # never more than a block (and 5 ms of supposing it played on) past.
    for step in (0, 4800, 4800, 0, 0, 9600, 2400):
        played += step
        for _ in range(12):
            page.report(played)
            time.sleep(0.005)
        page.report(played)
        sent = page.sent_frames()
        assert ahead <= sent - played <= ahead + 2 * p.block, (step, sent, played)
    p.stop()
    assert not p.streaming
    assert page.controls[-1] == {"type": "stop", "epoch": p.epoch}
    # Exactly the engine's samples, in order, block after block.
    streamed = np.concatenate(page.blocks)
    np.testing.assert_array_equal(streamed, twin.render(len(streamed)))


def test_a_page_that_does_not_play_yet_gets_the_lead_and_no_more(player):
    """A browser that waits for a click before it plays (autoplay) holds what it was sent: the
    kernel sends its lead and waits, instead of filling the page's ring (heard late, later)."""
    rate = 48_000.0
    p = player(quintet.Quintet(sample_rate=rate), ahead_ms=100, block=512)
    page = Page(p)
    p.start()
    page.say("hello", running=False)
    # It reports seldom while it does not play (every 0.5 s).
    for _ in range(2):
        page.report(0, running=False)
        time.sleep(0.15)
    # (Its lead, a block, and a block for the moment before its first report.)
    assert 0.1 * rate <= page.sent_frames() <= 0.1 * rate + 2 * p.block
    # The click: it plays, and the stream goes on.
    page.report(0)
    time.sleep(0.05)
    page.report(int(0.05 * rate))
    wait_until(lambda: page.sent_frames() >= 0.15 * rate)


def test_underruns_make_the_kernel_keep_more_ahead(player):
    rate = 48_000.0
    p = player(quintet.Quintet(sample_rate=rate), ahead_ms=100, block=256)
    page = Page(p)
    p.start()
    page.say("hello")
    page.report(0)
    # Until the page's first report the kernel supposes it plays from the start, and may send
    # a little more: the page plays all that first.
    wait_until(lambda: page.sent_frames() >= 0.1 * rate)
    played = page.sent_frames()

    def lead_after(underruns):
        for _ in range(12):
            page.say("report", epoch=p.epoch, played=played, underruns=underruns)
            time.sleep(0.005)
        return (page.sent_frames() - played) / rate

    # (A block, and what the kernel supposes played in the 5 ms between reports, past 100 ms.)
    assert lead_after(0) < 0.1 + 3 * 256 / rate
    # Two underruns reported one after the other: 20 ms more each.
    lead_after(1)
    assert lead_after(2) >= 0.14
    assert p.stats["ahead_ms"] == pytest.approx(140, abs=5)


def test_a_page_that_goes_silent_ends_the_thread(player, monkeypatch):
    monkeypatch.setattr(_player, "SILENCE_S", 0.2)
    p = player()
    page = Page(p)
    p.start()
    page.say("hello")
    wait_until(lambda: p.streaming)
    assert p.wait_stopped(timeout=5)
    sent = page.sent_frames()
    time.sleep(0.1)
    assert page.sent_frames() == sent
    # A page that shows again (a report) starts it again, on a new epoch.
    epoch = p.epoch
    page.say("hello")
    wait_until(lambda: p.streaming)
    assert p.epoch == epoch + 1


def test_the_sliders_move_the_engine(player):
    q = quintet.Quintet(levels=[1, 1, 1, 1, 1])
    p = player(q)
    by_name = {slider.description: slider for slider in p.sliders}
    by_name["Partial 2"].value = 880.0
    by_name["Partial 3 level"].value = 0.25
    by_name["Gain"].value = 0.5
    assert q.frequencies[1] == pytest.approx(880.0, rel=2e-3)
    assert q.frequencies[0] == quintet.DEFAULT_FREQUENCIES[0]
    assert q.levels[2] == pytest.approx(0.25) and q.gain == pytest.approx(0.5)
    # One slider per frequency and level, and the gain, named as the registry names them.
    names = [param.name for param in quintet.PARAMETERS]
    assert all(slider.description in names for slider in p.sliders) and len(p.sliders) == 11


def test_the_pages_keyboard_plays_notes(player):
    q = quintet.Quintet(midi=True)
    p = player(q)
    assert p.keyboard
    page = Page(p)
    page.say("note", on=True, key=64, velocity=0.8)
    assert q.sounding_notes == [(0, 64)]
    page.say("note", on=False, key=64)
    q.render(48_000)
    assert q.sounding_notes == []


def test_outside_jupyter_play_goes_to_the_sound_card():
    """Here (no Jupyter kernel) q.play() plays through the sound card: with sounddevice and a
    device it streams; without them it says what to install, and the engine stays free."""
    q = quintet.Quintet()
    try:
        import sounddevice

        sounddevice.query_devices(kind="output")
    except ImportError:
        with pytest.raises(ImportError, match=r"python\[sound\]"):
            q.play()
        quintet.live(q).close()
        return
    except Exception as no_device:  # PortAudio is there, no output device is
        pytest.skip(f"no sound card here: {no_device}")
    with q.play() as player:
        assert player.streaming and q.play() is player
        time.sleep(0.2)
    assert q.samples_rendered > 0
