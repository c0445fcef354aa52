"""Entry point of the ``liaison`` command."""

from __future__ import annotations

import sys


def main() -> None:
    from . import startup

    startup.hold()
    try:
        from .i18n import detect, set_language

        # the language must be known before the command modules define their help
        set_language(detect(sys.argv[1:]))
        from .cli.app import app_for

        # only the command asked for is loaded and built, unless help or
        # completion needs the whole tree
        app_for(sys.argv[1:])(prog_name="liaison")
    finally:
        startup.finish()


if __name__ == "__main__":
    main()
