"""Entry point of the ``liaison`` command."""

from __future__ import annotations


def main() -> None:
    from .cli.app import app

    # the root group chooses the language from the arguments and the environment
    app(prog_name="liaison")


if __name__ == "__main__":
    main()
