# The package's names: the extension module's (quintet.pyi beside this file, generated from the
# parameter registry) and the live player (_player.py).
from typing import Any

from ._player import Player
from .quintet import *  # noqa: F403
from .quintet import Quintet, __version__ as __version__

def live(quintet: Quintet, **options: Any) -> Player: ...
