"""Entry point of the ``liaison`` command."""

from __future__ import annotations

import sys


def main() -> None:
    from .i18n import detect, set_language

    # the language must be known before the command modules define their help
    set_language(detect(sys.argv[1:]))
    from .cli.app import app

    app(prog_name="liaison")


if __name__ == "__main__":
    main()
