"""The live player: a Quintet heard in a notebook's page while its sliders move it.

``quintet.live(q)`` (or ``q.play()``) makes a widget (anywidget) whose front end (player.js)
runs an AudioWorklet with a ring buffer. A thread here renders ``q`` block by block and sends
each block to the page as a binary comm message (float32, no base64, through the kernel's own
connection, so a remote kernel works as a local one); the page reports what it has played, and
the thread keeps ``ahead_ms`` (140 ms) of audio ahead of the page's playback, so a slider move
reaches the ear within that (plus up to a block, and the engine's 20 ms glide). A page that ran
dry gets 20 ms more for each underrun, up to 100 ms more, given back at 10 ms a second while it
plays on (a jitter buffer: a stall that happened once will happen again soon).

Threads: the render thread calls ``q.render`` and the sliders' callbacks (the kernel's main
thread) call ``q``'s setters; the engine's own lock makes each call whole and the Rust side
releases the GIL while it waits and renders, so neither holds up the other for longer than one
block's render (a third of a millisecond). The player's own bookkeeping sits behind ``_lock``,
held only around a few assignments.

One engine streams to one player (``_play``): ``quintet.live(q)`` for a Quintet that already has
an open player raises ``RuntimeError`` (two streams would each take every other block of the
same engine), and ``q.play()`` returns (and starts) the player there is. A player shown twice in a
page plays in its first view; the other views show its state and controls.

Without a page (the notebook run headless, a closed tab) nothing streams: the thread starts
when a page reports that it is ready and ends when the page stops reporting for
``SILENCE_S`` while the kernel is idle (a running cell holds the page's reports back, so that
time does not count), or at ``stop()`` and ``close()``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anywidget
import ipywidgets
import numpy as np
import traitlets

import quintet as _quintet

from . import _play

#: Samples per block sent to the page (43 ms at 48 kHz): one comm message each, which costs the
#: kernel about a millisecond of CPU (at 1024 frames the kernel measured 6 % of a core on this
#: machine against the 5 % it may take); a slider move waits for up to a block more.
BLOCK_FRAMES = 2048
#: How far ahead of the page's playback the thread keeps, in ms, unless told: what a move of a
#: slider waits for (plus up to a block), and what covers the page's and the network's hiccups.
AHEAD_MS = 140.0
#: After an underrun the thread keeps this much more ahead (a page or a network that stalls
#: once will again), up to MAX_EXTRA_S, and lets it go at EXTRA_DECAY (seconds per second)
#: while the page plays on without one.
EXTRA_PER_UNDERRUN_S = 0.02
MAX_EXTRA_S = 0.1
EXTRA_DECAY = 0.01
#: A page silent this long, in seconds of idle kernel, is gone: the thread ends (the page
#: reports every 0.2 s while it plays, every 0.5 s while it does not).
SILENCE_S = 2.0
#: A page's clock may drift from the kernel's (another machine): the offset between them, the
#: least seen, is let rise by this many seconds per second so that it follows.
CLOCK_CREEP = 1e-3


class _KernelActivity:
    """Whether the kernel runs a cell now (IPython's events): while it does, it may read no comm
    messages (unless the front end sends them to a subshell, as JupyterLab 4 does), so a page's
    silence then says nothing about the page."""

    def __init__(self):
        self.running_cell = False
        self.idle_since = time.monotonic()
        self._registered = False

    def register(self):
        if self._registered:
            return
        self._registered = True
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is not None:
            shell.events.register("pre_execute", self._pre)
            shell.events.register("post_execute", self._post)

    def _pre(self):
        self.running_cell = True

    def _post(self):
        self.running_cell = False
        self.idle_since = time.monotonic()

    def idle_for(self, now):
        """Seconds the kernel has been idle since ``now``'s last cell (0 while one runs)."""
        return 0.0 if self.running_cell else now - self.idle_since


_kernel = _KernelActivity()


class Player(anywidget.AnyWidget):
    """A Quintet streaming live to the notebook's page: ``start()``, ``stop()``, ``volume``
    (the page's gain, 0 to 1), ``sliders`` (ipywidgets bound to the engine's parameters),
    ``streaming`` (the render thread runs), ``close()``. Made by ``quintet.live(q)``.

    ``stats`` is what the page last reported: ``state``, ``played`` and ``received`` (frames
    since this stream's start), ``buffered`` / ``buffered_ms`` (in its ring), ``underruns``
    (render quanta it found short) and ``underruns_at`` (where the first 16 were, in frames
    played), ``overflows``, ``peak`` and ``rms`` (the level since its
    last report), ``peak_hz`` (its AnalyserNode's strongest frequency), ``sample_rate``, ``t``
    (its clock, s), and ``ahead_ms`` (what the kernel keeps ahead now).

    Options: ``volume``; ``keyboard`` (default: the Quintet's ``midi``); ``sliders=False``
    for none; ``ahead_ms`` (140) and ``block`` (2048 frames), the latency and its cost."""

    _esm = Path(__file__).with_name("player.js")
    _css = Path(__file__).with_name("player.css")

    #: The engine's sample rate, at which the page's AudioContext runs (Hz).
    sample_rate = traitlets.Float(48_000.0).tag(sync=True)
    #: Streaming wanted (``start``/``stop``, or the page's button).
    playing = traitlets.Bool(False).tag(sync=True)
    #: The page's output gain, linear 0 to 1 (the engine's own gain is ``q.gain``).
    volume = traitlets.Float(0.8, min=0.0, max=1.0).tag(sync=True)
    #: Show the click-to-play keyboard (MIDI mode).
    keyboard = traitlets.Bool(False).tag(sync=True)

    def __init__(self, quintet, *, volume=0.8, keyboard=None, sliders=True, ahead_ms=AHEAD_MS,
                 block=BLOCK_FRAMES):
        if keyboard is None:
            keyboard = bool(quintet.midi)
        super().__init__(sample_rate=quintet.sample_rate, volume=volume, keyboard=keyboard)
        self.quintet = quintet
        self.ahead_s = float(ahead_ms) / 1000.0
        # What underruns added to ahead_s, and the page's count of them (under _lock).
        self._extra_s = 0.0
        self._underruns = 0
        self.block = int(block)
        self._lock = threading.Lock()
        # Starting and stopping the render thread, one at a time: the page's messages may be
        # handled on a thread of their own (a subshell) while a cell calls stop().
        self._control = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._running = False
        self._closed = False
        #: A new number at each start: the page drops what an earlier stream left.
        self.epoch = 0
        # The stream's clock (under _lock): frames sent this epoch, when it started, the last
        # report (frames played and the page's time of it), the page's clock offset.
        self._sent = 0
        self._started_at = 0.0
        self._page_running = True
        self._report = None
        self._offset = None
        self._offset_at = 0.0
        self._heard_at = None
        self.stats = {}
        self.sliders = self._make_sliders() if sliders else []
        self._box = ipywidgets.VBox([self, *self.sliders])
        self.on_msg(self._on_message)
        self.observe(self._on_playing, names="playing")
        _kernel.register()

    # The API.

    def start(self):
        """Streams from now on (once the page is there); returns the player."""
        self.playing = True
        return self

    def stop(self):
        """Stops the stream: the thread ends and the page lets go of what it holds."""
        self.playing = False
        return self

    @property
    def streaming(self):
        """True while the render thread runs."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def wait_stopped(self, timeout=None):
        """Waits for the render thread to end; True when it has (or never ran)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.streaming

    def close(self):
        """Stops and closes the widget; the Quintet can have a new player then."""
        self._closed = True
        self.playing = False
        self._stop_thread()
        _play.release(self.quintet, self)
        for slider in self.sliders:
            slider.close()
        self._box.close()
        super().close()

    def _repr_mimebundle_(self, **kwargs):
        # The player with its sliders below it.
        return self._box._repr_mimebundle_(**kwargs)

    # The sliders.

    def _make_sliders(self):
        """A slider per frequency and level, and the gain, from quintet.PARAMETERS."""
        q = self.quintet
        sliders = []
        for family, values, log in (("frequencies", q.frequencies, True),
                                    ("levels", q.levels, False)):
            params = [p for p in _quintet.PARAMETERS if _family(p) == family]
            for k, (param, value) in enumerate(zip(params, values)):
                slider = _slider(param, value, log)
                slider.observe(_follow(q, family, k), names="value")
                sliders.append(slider)
        gain = next((p for p in _quintet.PARAMETERS if p.key == "gain"), None)
        if gain is not None:
            slider = _slider(gain, q.gain, False)
            slider.observe(lambda change: setattr(q, "gain", change["new"]), names="value")
            sliders.append(slider)
        return sliders

    # The page's messages (the kernel's main thread).

    def _on_message(self, _widget, content, _buffers):
        kind = content.get("type")
        if kind in ("hello", "report"):
            self._heard(content)
        elif kind == "bye":
            with self._lock:
                self._heard_at = None
            self._stop_thread()
        elif kind == "note":
            key = int(content["key"])
            if content.get("on"):
                self.quintet.note_on(key, float(content.get("velocity", 0.8)))
            else:
                self.quintet.note_off(key)

    def _heard(self, content):
        now = time.monotonic()
        with self._lock:
            self._heard_at = now
            page_time = float(content.get("t", 0.0))
            offset = now - page_time
            self._page_running = bool(content.get("running", True))
            if self._offset is None or offset < self._offset + CLOCK_CREEP * (now - self._offset_at):
                self._offset, self._offset_at = offset, now
            if content.get("type") == "report":
                self.stats = {k: v for k, v in content.items() if k != "type"}
                if content.get("epoch") == self.epoch:
                    self._report = (int(content["played"]), page_time, self._page_running)
                    underruns = int(content.get("underruns", 0))
                    if underruns > self._underruns:
                        self._extra_s = min(self._extra_s + EXTRA_PER_UNDERRUN_S, MAX_EXTRA_S)
                    self._underruns = underruns
                self.stats["ahead_ms"] = 1000 * (self.ahead_s + self._extra_s)
        if self.playing and not self.streaming:
            self._start_thread()

    def _on_playing(self, change):
        if change["new"]:
            if self._heard_at is not None:
                self._start_thread()
        else:
            self._stop_thread()
            self.send({"type": "stop", "epoch": self.epoch})

    # The render thread.

    def _start_thread(self):
        with self._control:
            if self._closed or self.streaming:
                return
            with self._lock:
                self.epoch += 1
                self._sent = 0
                self._report = None
                self._underruns = 0
                self._started_at = time.monotonic()
                self._running = True
            self._wake.clear()
            self._thread = threading.Thread(target=self._run, name="quintet-player", daemon=True)
            self._thread.start()

    def _stop_thread(self):
        with self._control:
            with self._lock:
                self._running = False
            self._wake.set()
            thread = self._thread
            # The render thread takes neither lock: joining it here cannot deadlock.
            if thread is not None and thread is not threading.current_thread():
                thread.join()

    def _ahead(self, now):
        """Seconds of audio sent and not yet played by the page, as of ``now`` (under _lock):
        what it reported played and what it played on since. Until its first report it is
        supposed to play from the thread's start (a busy kernel may read that report late: the
        page must not run dry meanwhile). A page whose audio does not run (a browser waiting
        for a click before it plays) plays on nothing: the thread sends its lead and waits."""
        rate = self.sample_rate
        if self._report is None:
            played = (now - self._started_at) * rate if self._page_running else 0.0
        else:
            frames, page_time, running = self._report
            played = frames
            if running:
                played += (now - (page_time + self._offset)) * rate
        return (self._sent - min(max(played, 0.0), self._sent)) / rate

    def _run(self):
        epoch = self.epoch
        last = time.monotonic()
        while True:
            now = time.monotonic()
            with self._lock:
                if not self._running:
                    return
                self._extra_s = max(0.0, self._extra_s - EXTRA_DECAY * (now - last))
                wanted = self.ahead_s + self._extra_s
                ahead = self._ahead(now)
                heard = self._heard_at
            last = now
            if heard is None or min(now - heard, _kernel.idle_for(now)) > SILENCE_S:
                # The page is gone: nobody to play to.
                with self._lock:
                    self._running = False
                return
            if ahead < wanted:
                samples = self.quintet.render(self.block)
                # A new array each block: the kernel's I/O thread sends it after send() returns.
                self.send({"type": "audio", "epoch": epoch}, buffers=[samples])
                with self._lock:
                    self._sent += self.block
            else:
                self._wake.wait(min(ahead - wanted + 0.002, self.block / self.sample_rate))


def _family(param):
    """The family a parameter belongs to ("frequencies", "levels", ...) or None."""
    key = param.key or ""
    return key.split("[")[0] if "[" in key else None


def _slider(param, value, log):
    description = param.name
    layout = ipywidgets.Layout(width="600px")
    style = {"description_width": "120px"}
    if log:
        return ipywidgets.FloatLogSlider(
            value=value, base=10, min=np.log10(param.minimum), max=np.log10(param.maximum),
            step=0.001, description=description, readout_format=".1f", layout=layout,
            style=style, continuous_update=True,
        )
    return ipywidgets.FloatSlider(
        value=value, min=param.minimum, max=param.maximum, step=0.001,
        description=description, readout_format=".3f", layout=layout, style=style,
    )


def _follow(q, family, k):
    """A slider callback setting value ``k`` of ``q``'s ``family`` (a glide or a ramp)."""

    def follow(change):
        values = list(getattr(q, family))
        values[k] = change["new"]
        setattr(q, family, values)

    return follow


def live(quintet, **options):
    """``quintet.live``: a new player for ``quintet``; RuntimeError if it has an open one."""
    return _play.claim(quintet, lambda: Player(quintet, **options))
