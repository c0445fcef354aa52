"""The cyclic garbage collector during one ``liaison`` process.

Starting a command allocates a few hundred thousand objects (Typer,
SQLAlchemy, the tables) and none of them is garbage. With the collector on,
Python walks that growing heap over and over while it is built (a full
collection alone took 30–60 ms), and once more when the interpreter exits.
So :func:`hold` switches the collector off for the start-up;
:func:`release`, called when the command opens its database (the imports
are done by then), moves what exists into the permanent generation with
``gc.freeze()`` and switches the collector back on, so a long import or
export still frees its cycles while never walking the start-up heap again;
:func:`finish` freezes what is left before the process exits.

Only ``liaison_cli.__main__`` holds the collector: the tests and anything
else that imports the package keep Python's defaults.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Switch the collector off until :func:`release` (if it is on)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze the start-up heap and switch the collector back on."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def finish() -> None:
    """Leave nothing for the interpreter's final collection to walk."""
    gc.freeze()
    release()
