"""Driver errors turned into the project's own errors, in one place.

Everything the database drivers (sqlite3, psycopg) or SQLAlchemy raise about
the database itself leaves the data layer as a :class:`~liaison_cli.errors.LiaisonError`
with one readable line: a conflict with existing data is the user's (exit 1),
anything else about the database is exit 3. The CLI edge then only prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import EXIT_DB, EXIT_USER, DatabaseError, LiaisonError
from ..i18n import _
from .urls import hide_secrets, safe_url


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


@contextmanager
def translated() -> Iterator[None]:
    """Let a driver error raised inside the block leave it as the project's error."""
    try:
        yield
    except Exception as exc:
        if is_driver_error(exc):
            raise translate(exc) from exc
        raise


def one_line(exc: BaseException) -> str:
    """The first line of an error, with its kind when it says nothing else."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def connect_failure(url: str, exc: BaseException) -> DatabaseError:
    """One line for a server we cannot log in to: where (password masked) and why.

    libpq's text starts with "connection failed: connection to server at …
    failed:" and may add a hint on further lines; the URL we print already
    says where, so only the reason is kept ("Connection refused", "password
    authentication failed for user …", "database … does not exist",
    "connection timeout expired", "failed to resolve host …").
    """
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    reason = re.sub(r"^connection failed:\s*", "", reason)
    reason = re.sub(r"^connection to server (at|on) .*? failed:\s*", "", reason)
    reason = re.sub(r"^(FATAL|ERROR):\s*", "", reason).strip()
    reason = hide_secrets(reason, url)
    return DatabaseError(
        _("cannot connect to the database server {url}: {reason}").format(
            url=safe_url(url), reason=reason
        )
    )


def migration_failure(exc: BaseException) -> DatabaseError:
    """A migration that raised: its transaction, DDL included, was rolled back."""
    return DatabaseError(
        _(
            "the schema upgrade failed and was rolled back; the database is unchanged: {reason}"
        ).format(reason=one_line(exc))
    )


def translate(exc: BaseException) -> LiaisonError:
    """A clear one-line error for an error raised by the database driver."""
    from sqlalchemy import exc as sa_exc

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
        text = hide_secrets(text, url) if url else text
        message = _("database error: {reason}").format(reason=text)
    error = DatabaseError(message)
    assert error.exit_code == EXIT_DB
    return error
