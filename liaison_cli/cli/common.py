"""What every command module shares: global state, error handling, parsing.

Errors are turned into one ``error: …`` line and an exit code here, at the
CLI edge, and nowhere else. So is output that cannot be written (a full
disk, a closed pipe): before the command has saved anything it is an error
like any other and nothing was changed; after it has, the change stands and
the command says so with one ``warning:`` line and exit code 4
(:data:`~liaison_cli.errors.EXIT_OUTPUT`), so that a script never runs it
again by mistake.
"""

from __future__ import annotations

import errno
import functools
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from ..errors import EXIT_OUTPUT, EXIT_USER, InvalidValue, LiaisonError
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
    _echo_err(_("error: {message}").format(message=message))
    for line in details or []:
        _echo_err(line)
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


def _saved() -> int:
    """Write units committed so far by this process (none if no database was opened)."""
    uow = sys.modules.get("liaison_cli.store.uow")
    return int(getattr(uow, "committed_writes", 0))


# a write to standard output failed: the device, not the command
_OUTPUT_ERRNOS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}
)


def output_failure(exc: BaseException) -> bool:
    """``exc`` is standard output that cannot be written (files name themselves)."""
    if isinstance(exc, BrokenPipeError):
        return True
    if isinstance(exc, OSError):
        return exc.filename is None and exc.errno in _OUTPUT_ERRNOS
    if isinstance(exc, ValueError):  # written after it was closed
        return sys.stdout is None or bool(getattr(sys.stdout, "closed", False))
    return False


def _output_reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def discard_stdout() -> None:
    """Point standard output at the null device, so that nothing fails at exit.

    The interpreter flushes standard output as it ends; output that could
    not be written would fail again there, with a message of its own.
    """
    try:
        fd = sys.stdout.fileno()
        sink = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return  # not a real stream (a test's), or nothing to point
    os.dup2(sink, fd)
    os.close(sink)


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _output_failed(exc: BaseException, saved: bool) -> None:
    """Output that cannot be written: an error before the command saved, a warning after."""
    discard_stdout()
    reason = _output_reason(exc)
    if saved:
        _echo_err(
            _(
                "warning: the change was saved, but its output could not be written ({reason}); "
                "do not run the command again"
            ).format(reason=reason)
        )
        raise typer.Exit(EXIT_OUTPUT)
    if isinstance(exc, BrokenPipeError):
        # output piped into `head`: not an error
        raise typer.Exit(0)
    fail(_("cannot write the output: {reason}").format(reason=reason))


def _echo_err(line: str) -> None:
    try:
        typer.echo(line, err=True)
    except (OSError, ValueError):
        pass  # standard error cannot be written either: the exit code tells


def handle_errors(fn: F) -> F:
    """Run a command; turn every expected failure into one line and an exit code.

    Its output is flushed here, so that output which cannot be written is
    known while the command still knows whether it saved a change.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        saved = _saved()
        try:
            _refuse_unstorable_text(kwargs)
            result = fn(*args, **kwargs)
            _flush_stdout()
            return result
        except typer.Exit:
            raise
        except LiaisonError as exc:
            fail(exc.message, exc.exit_code, exc.details)
        except KeyboardInterrupt:
            fail(_("interrupted; nothing was changed"), 130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if output_failure(exc):
                _output_failed(exc, _saved() > saved)
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


def _occupy_closed_streams() -> None:
    """Give a closed standard stream the null device, before any file is opened.

    Otherwise the first file opened (the database) would take its number, and
    whatever is written to that stream would land in it.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            sink = os.open(os.devnull, os.O_RDWR)
            if sink != fd:
                os.dup2(sink, fd)
                os.close(sink)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process


def run(app: Any) -> None:
    """The ``liaison`` process around the command tree: its standard streams.

    A closed standard output is refused before anything is done; output that
    cannot be written outside a command (``--help > /dev/full``) is one line.
    """
    stdout_closed = sys.stdout is None
    _occupy_closed_streams()
    if stdout_closed:
        _echo_err(
            _("error: {message}").format(
                message=_("standard output is closed; nothing was done (redirect it to /dev/null)")
            )
        )
        sys.exit(EXIT_USER)
    code: Any = 0
    try:
        try:
            app(prog_name="liaison")
        except SystemExit as exc:
            code = exc.code
        _flush_stdout()
    except Exception as exc:
        if not output_failure(exc):
            raise
        try:
            _output_failed(exc, _saved() > 0)
        except typer.Exit as done:
            code = done.exit_code
    sys.exit(code)
