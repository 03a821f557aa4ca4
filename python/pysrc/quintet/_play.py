"""``Quintet.play``: where a Quintet plays live, and the rule that an engine streams to one
player at a time (whichever kind).

In a Jupyter kernel it plays in the notebook's page (``_player``: the kernel and the browser
may be on different machines, so the audio goes through the notebook's connection); anywhere
else through this machine's sound card (``_sound``, with ``sounddevice``). Neither needs the
other's packages: each is imported when used."""

import threading
import weakref

#: The open player of each Quintet, by the Quintet's id (a player holds its Quintet, so the id
#: stays that Quintet's while the entry lives).
_players = weakref.WeakValueDictionary()
_lock = threading.Lock()


def claim(quintet, make):
    """``make()``'s new player for ``quintet``, registered as its one player; RuntimeError if it
    has an open one already."""
    with _lock:
        if id(quintet) in _players:
            raise RuntimeError(
                "this Quintet already streams to a player (one engine, one stream): use that "
                "one (q.play() returns it) or close it first (player.close())"
            )
        player = make()
        _players[id(quintet)] = player
        return player


def release(quintet, player):
    """Forgets ``player`` as ``quintet``'s (at its close)."""
    with _lock:
        if _players.get(id(quintet)) is player:
            del _players[id(quintet)]


def current(quintet):
    """``quintet``'s open player, or None."""
    with _lock:
        return _players.get(id(quintet))


def in_jupyter_kernel():
    """True inside a Jupyter kernel (IPython with a kernel), where a page can play."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def play(quintet, **options):
    """``Quintet.play``: the Quintet's player (made with ``options`` if it has none), started:
    in the notebook's page inside Jupyter, through the sound card elsewhere."""
    player = current(quintet)
    if player is None:
        if in_jupyter_kernel():
            from ._player import live as make
        else:
            from ._sound import sound_card as make
        player = make(quintet, **options)
    return player.start()
