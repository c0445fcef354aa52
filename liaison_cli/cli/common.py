"""What every command module shares: global state, error handling, parsing.

Errors are turned into one ``error: …`` line and an exit code here, at the
CLI edge, and nowhere else.
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from ..errors import EXIT_USER, InvalidValue, LiaisonError
from ..i18n import _

if TYPE_CHECKING:
    from ..store.database import Database

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Global options of one invocation, kept in ``ctx.obj``.

    A plain class, not a dataclass: every command, ``--help`` included,
    creates one, and ``dataclasses`` is start-up time none of them needs.
    """

    def __init__(
        self, db_arg: str | None = None, format: str = "plain", actor: str = "clerk"
    ) -> None:
        self.db_arg = db_arg
        self.format = format
        self.actor = actor
        self._db: Database | None = None

    def __repr__(self) -> str:
        from ..store.urls import safe_url  # a URL is never shown with its password

        db_arg = safe_url(self.db_arg) if self.db_arg else None
        return f"State(db_arg={db_arg!r}, format={self.format!r}, actor={self.actor!r})"

    @property
    def db(self) -> Database:
        if self._db is None:
            # imported here: ``--help`` and ``--version`` never load SQLAlchemy
            from ..store.database import Database, resolve_url

            self._db = Database(resolve_url(self.db_arg))
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER") or "clerk"


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State(actor=default_actor())
        ctx.find_root().obj = obj
    return obj


def note(message: str) -> None:
    """Print one ``note:`` line on stderr: the command did its work, but mind this."""
    typer.echo(_("note: {message}").format(message=message), err=True)


def fail(message: str, code: int = EXIT_USER, details: list[str] | None = None) -> None:
    """Print one ``error:`` line (and any candidate lines) and exit."""
    typer.echo(_("error: {message}").format(message=message), err=True)
    for line in details or []:
        typer.echo(line, err=True)
    raise typer.Exit(code)


# parameters holding a file name: any bytes the file system allows
_PATH_PARAMS = frozenset({"file", "out", "deputies_file"})


def _refuse_unstorable_text(kwargs: dict[str, Any]) -> None:
    """Refuse, before any work, text that no database can store or match.

    A NUL character cannot be stored in PostgreSQL (and stops C strings);
    bytes that are not UTF-8 (a terminal in another encoding) reach Python as
    lone surrogates that no driver can encode. Either would otherwise surface
    deep inside a query as a database error. The rules and words are those of
    every value check (:mod:`..domain.values`).
    """
    from ..domain.values import unstorable_problem

    ctx = next((v for v in kwargs.values() if hasattr(v, "command") and hasattr(v, "obj")), None)
    for name, value in kwargs.items():
        for text in value if isinstance(value, list | tuple) else (value,):
            if not isinstance(text, str):
                continue
            problem = unstorable_problem(
                text, _param_label(ctx, name), file_name=name in _PATH_PARAMS
            )
            if problem:
                raise InvalidValue(problem)


def _param_label(ctx: Any, name: str) -> str:
    """``--summary`` for an option, ``name`` for an argument."""
    for param in ctx.command.params if ctx is not None else ():
        if param.name == name and param.param_type_name == "option" and param.opts:
            return max(param.opts, key=len)
    return name


def handle_errors(fn: F) -> F:
    """Run a command; turn every expected failure into one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _refuse_unstorable_text(kwargs)
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except LiaisonError as exc:
            fail(exc.message, exc.exit_code, exc.details)
        except KeyboardInterrupt:
            fail(_("interrupted; nothing was changed"), 130)
        except BrokenPipeError:
            # output piped into `head`: not an error
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            # driver errors arrive here already as LiaisonError (store.errors)
            from ..store import errors as store_errors

            if isinstance(exc, UnicodeError):
                # text the terminal sent in another encoding, caught late
                fail(
                    _("not valid text (check the terminal's encoding): {reason}").format(
                        reason=store_errors.first_line(exc)
                    ),
                    EXIT_USER,
                )
            if isinstance(exc, OSError):
                reason = str(exc.strerror or exc)
                if exc.filename:
                    reason = _("{path}: {reason}").format(path=exc.filename, reason=reason)
                fail(reason, EXIT_USER)
            if os.environ.get("LIAISON_DEBUG"):
                raise
            fail(
                _("internal error: {kind}: {reason}").format(
                    kind=type(exc).__name__, reason=store_errors.first_line(exc)
                ),
                70,
            )

    return wrapper  # type: ignore[return-value]


def parse_day(text: str | None) -> date:
    """``--date`` with today as the default."""
    from ..domain.dates import parse_date, today

    if text is None:
        return today()
    return parse_date(text)


def parse_day_optional(text: str | None) -> date | None:
    from ..domain.dates import parse_optional

    return parse_optional(text)


def names_file(path: str | None) -> list[str]:
    """The lines of ``--deputies-file``: one name a line (or several, as
    ``--deputy`` takes them); blank lines are skipped."""
    if path is None:
        return []
    from pathlib import Path

    from ..domain.values import strip_text

    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line for line in map(strip_text, lines) if line]


MAX_LIMIT = 1_000_000_000  # fits every engine's LIMIT (a larger one overflows)


def check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 0:
        raise LiaisonError(_("--limit must not be negative"))
    if limit is not None and limit > MAX_LIMIT:
        raise LiaisonError(_("--limit must be at most {max}").format(max=MAX_LIMIT))
    return limit


def emit_result(st: State, message: str, row: dict[str, Any]) -> None:
    """The outcome of a write: a sentence for people, the row for scripts."""
    from ..output import Column, render_rows

    if st.format in ("json", "csv"):
        render_rows([row], [Column(k, k) for k in row], st.format)
    else:
        typer.echo(message)
