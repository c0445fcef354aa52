"""Driver errors turned into the project's own errors, in one place.

Everything the database drivers (sqlite3, psycopg) or SQLAlchemy raise about
the database itself leaves the data layer as a :class:`~liaison_cli.errors.LiaisonError`
with one readable line: a conflict with existing data is the user's (exit 1),
anything else about the database is exit 3. The CLI edge then only prints it.
"""

from __future__ import annotations

from ..errors import EXIT_DB, EXIT_USER, DatabaseError, LiaisonError
from ..i18n import _


class DataConflict(LiaisonError):
    """A change the database refused because of the data already there (exit 1)."""

    exit_code = EXIT_USER


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_driver_error(exc: BaseException) -> bool:
    """Errors from the database itself (not our misuse of SQLAlchemy)."""
    mod = type(exc).__module__
    if mod.startswith("sqlite3") or mod.startswith("psycopg"):
        return True
    if mod.startswith("sqlalchemy"):
        from sqlalchemy.exc import DBAPIError

        return isinstance(exc, DBAPIError)
    return False


def translate(exc: BaseException) -> LiaisonError:
    """A clear one-line error for an error raised by the database driver."""
    from sqlalchemy import exc as sa_exc

    from .database import safe_url

    text = first_line(exc)
    low = text.lower()
    if isinstance(exc, sa_exc.IntegrityError):
        return DataConflict(
            _("the change conflicts with existing data: {reason}").format(reason=text)
        )
    if "locked" in low or "could not obtain lock" in low or "lock timeout" in low:
        message = _("the database is busy (locked by another user); try again")
    elif "readonly" in low or "read-only" in low:
        message = _("the database is read-only; nothing was changed")
    elif "disk is full" in low or "full" in low and "database" in low:
        message = _("the disk is full; nothing was changed")
    elif "disk i/o error" in low:
        message = _("cannot write to the database file (disk I/O error: is the disk full?)")
    elif any(
        s in low
        for s in (
            "terminating connection",
            "server closed the connection",
            "connection is closed",
            "connection is lost",
            "consuming input failed",
        )
    ):
        message = _(
            "lost the connection to the database server; what the command had not "
            "committed was rolled back"
        )
    elif "not a database" in low or "malformed" in low:
        message = _("not a liaison database (or a damaged one): {reason}").format(reason=text)
    elif "unable to open" in low:
        message = _("cannot open the database file")
    else:
        # never echo a URL with its password
        url = getattr(exc, "_liaison_url", None)
        shown = safe_url(url) if url else ""
        text = text.replace(url, shown) if url else text
        message = _("database error: {reason}").format(reason=text)
    error = DatabaseError(message)
    assert error.exit_code == EXIT_DB
    return error
