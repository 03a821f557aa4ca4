"""Quintet's engine for Python: five phase-continuous sine partials, exact and drift-free, the
samples the Quintet plugin plays (``Quintet``, ``render``: the extension module
``quintet.quintet``, python/src), and the live player that streams them to a notebook's page
(``live``, ``Quintet.play``: python/pysrc/quintet/_player.py)."""

from .quintet import *  # noqa: F403 (the extension module's __all__)
from .quintet import __all__ as _extension_all
from .quintet import __version__


def live(quintet, **options):
    """A live player for ``quintet`` in Jupyter: a widget whose page plays what this kernel
    renders, as it renders it, with sliders bound to the engine (``quintet._player.Player``,
    where the options are documented). Needs ``anywidget`` and ``ipywidgets``
    (``pip install ./python[live]``); one player per Quintet (a second raises RuntimeError:
    ``q.play()`` returns the one there is)."""
    from ._player import live as make

    return make(quintet, **options)


__all__ = [*_extension_all, "live"]
