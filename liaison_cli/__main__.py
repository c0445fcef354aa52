"""Entry point of the ``liaison`` command."""

from __future__ import annotations


def main() -> None:
    from .cli.app import app
    from .cli.common import run

    # the root group chooses the language from the arguments and the environment;
    # ``run`` answers for the standard streams
    run(app)


if __name__ == "__main__":
    main()
