"""``q.play()`` outside Jupyter: a Quintet through this machine's sound card, with
``sounddevice`` (PortAudio; ``pip install './python[sound]'``, and Debian's ``libportaudio2``).

PortAudio's callback renders straight into its buffer (``render_into``, no copy); the engine's
lock is held only for that render. The callback runs Python, so it needs the GIL: a busy
interpreter can make it late (an underrun, counted in ``underruns``)."""

from . import _play


class SoundCardPlayer:
    """A Quintet playing through the sound card: ``start()``, ``stop()``, ``close()`` (also as a
    context manager), ``underruns``. Made by ``q.play()`` outside Jupyter or
    ``quintet._sound.sound_card(q)``; ``device``, ``blocksize`` and ``latency`` go to
    ``sounddevice.OutputStream``."""

    def __init__(self, quintet, *, device=None, blocksize=0, latency="low"):
        try:
            import sounddevice
        except (ImportError, OSError) as missing:
            raise ImportError(
                "q.play() outside Jupyter plays through the sound card with sounddevice: "
                "pip install './python[sound]' (and PortAudio: apt-get install libportaudio2)"
            ) from missing
        self.quintet = quintet
        self.underruns = 0
        self._stream = sounddevice.OutputStream(
            samplerate=quintet.sample_rate, channels=1, dtype="float32", device=device,
            blocksize=blocksize, latency=latency, callback=self._fill,
        )

    def _fill(self, outdata, frames, time, status):
        if status.output_underflow:
            self.underruns += 1
        # (frames, 1) float32, C-contiguous: one channel as a 1-D view of the same memory.
        self.quintet.render_into(outdata.reshape(-1))

    @property
    def streaming(self):
        return self._stream.active

    def start(self):
        self._stream.start()
        return self

    def stop(self):
        self._stream.stop()
        return self

    def close(self):
        self._stream.close()
        _play.release(self.quintet, self)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def sound_card(quintet, **options):
    """A new sound-card player for ``quintet``; RuntimeError if it has an open player."""
    return _play.claim(quintet, lambda: SoundCardPlayer(quintet, **options))
