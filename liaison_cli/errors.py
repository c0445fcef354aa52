"""User-facing errors and their exit codes.

Services raise these; only the CLI edge turns them into a message and an exit
code, so nothing below ``cli/`` prints or exits.
"""

from __future__ import annotations

EXIT_USER = 1
EXIT_USAGE = 2
EXIT_DB = 3
# the command's change was saved, but its output could not be written
EXIT_OUTPUT = 4


class LiaisonError(Exception):
    """An error a user caused; the message is shown as one ``error:`` line."""

    exit_code = EXIT_USER

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Extra lines printed under the error (for example the candidates of an
        # ambiguous name).
        self.details = details or []


class NotFound(LiaisonError):
    """A reference (deputy, case, department, staff) that matches nothing."""


class Ambiguous(LiaisonError):
    """A name that matches several rows; ``details`` lists them with ids."""


class InvalidValue(LiaisonError):
    """A value that cannot be parsed or is outside the allowed set."""


class IllegalTransition(LiaisonError):
    """A lifecycle step that is not allowed from the case's current state."""


class ImportFileError(LiaisonError):
    """A file that cannot be imported; the message names line and column."""


class DatabaseError(LiaisonError):
    """The database cannot be used: not a database, unreachable, locked, too new."""

    exit_code = EXIT_DB
