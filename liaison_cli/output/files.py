"""Writing files: the one atomic write, and the format a file's name asks for.

Every file liaison writes (an export, a report) is written to a new
temporary file beside its target, created exclusively (``O_CREAT|O_EXCL``,
:func:`tempfile.mkstemp`: a link planted under its name is never followed),
and moved into place when complete, so a failed or interrupted write leaves
no half file. It is readable by its owner only (mode 0600, whatever the
umask) unless ``--mode`` asks for more, and an existing file is replaced only
with ``--overwrite``. Every text cell of a file meant for a spreadsheet goes
through :func:`liaison_cli.domain.ledger.neutralise` (the rule the import
undoes), so that no spreadsheet runs a cell as a formula.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO

from ..errors import InvalidValue
from ..i18n import _

# an export holds phone numbers and addresses: its owner's only, like the database
DEFAULT_MODE = 0o600
# file systems without hard links: the existence check is then not atomic
_NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV})


def format_by_extension(path: str, formats: dict[str, str], refusal: str) -> str:
    """The format named by ``path``'s extension; ``refusal`` (with ``{name}``) if none."""
    fmt = formats.get(Path(path).suffix.lower())
    if fmt is None:
        raise InvalidValue(refusal.format(name=Path(path).name))
    return fmt


def parse_mode(text: str | None) -> int | None:
    """``--mode 0640``: octal read/write bits, or the one-line refusal."""
    if text is None:
        return None
    try:
        mode = int(text.strip(), 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o666 or mode & ~0o666:
        raise InvalidValue(
            _("--mode {value!r}: give read/write bits in octal, such as 0600 or 0640").format(
                value=text
            )
        )
    return mode


def check_target(path: str, *, overwrite: bool) -> None:
    """Refuse, before any work, a target that cannot be written or would be lost.

    A directory, a folder that does not exist (named as the user gave it),
    and an existing file without ``overwrite``.
    """
    target = Path(path)
    if target.is_dir():
        raise InvalidValue(_("{path} is a directory").format(path=path))
    folder = target.parent
    if not folder.is_dir():
        what = _("no folder {folder}") if not folder.exists() else _("{folder} is not a folder")
        raise InvalidValue(
            _("cannot write {path}: {problem}").format(
                path=path, problem=what.format(folder=folder)
            )
        )
    if os.path.lexists(target) and not overwrite:
        raise _exists(path)


def _exists(path: str) -> InvalidValue:
    return InvalidValue(_("{path} already exists; add --overwrite to replace it").format(path=path))


class _Sink:
    """The temporary file, failing once: after the first failed write, writes are dropped.

    A writer that fails part-way (a zip archive on a full disk) writes again
    when it is cleaned up; those writes would fail and be reported after the
    one error line. The file is discarded anyway, so they go nowhere.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.failure: OSError | None = None

    @property
    def _done(self) -> bool:
        return self.failure is not None or self._raw.closed

    def write(self, data: Any) -> int:
        if self._done:
            return len(data)
        try:
            return self._raw.write(data)
        except OSError as exc:
            self.failure = exc
            raise

    def flush(self) -> None:
        if not self._done:
            try:
                self._raw.flush()
            except OSError as exc:
                self.failure = exc
                raise

    def tell(self) -> int:
        return 0 if self._done else self._raw.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0 if self._done else self._raw.seek(offset, whence)

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def close(self) -> None:
        """Closed by :func:`atomic_target`, never by the writer it was handed to."""


def _write_error(path: str, exc: OSError) -> InvalidValue:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason = _("{reason} (is the disk full?)").format(reason=reason)
    return InvalidValue(_("cannot write {path}: {reason}").format(path=path, reason=reason))


@contextmanager
def atomic_target(
    path: str, *, overwrite: bool = False, mode: int | None = None
) -> Iterator[IO[bytes]]:
    """A new temporary file beside ``path`` (binary), moved onto it when the block succeeds.

    Refuses what :func:`check_target` refuses; the temporary file is removed
    whatever happens, and a failed write is one error naming ``path``.
    """
    import tempfile

    check_target(path, overwrite=overwrite)
    target = Path(path)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise _write_error(path, exc) from None
    raw = os.fdopen(fd, "wb")
    sink = _Sink(raw)
    try:
        try:
            yield sink  # type: ignore[misc]
            sink.flush()
            if sink.failure is not None:
                raise sink.failure
            os.fchmod(raw.fileno(), DEFAULT_MODE if mode is None else mode)
            os.fsync(raw.fileno())
            raw.close()
            _move(tmp, path, overwrite=overwrite)
        except OSError as exc:
            raise _write_error(path, sink.failure or exc) from None
    finally:
        raw.close()
        Path(tmp).unlink(missing_ok=True)


def _move(tmp: str, path: str, *, overwrite: bool) -> None:
    """Put the finished file in place: atomically, and never onto a file that appeared."""
    if overwrite:
        os.replace(tmp, path)  # replaces a link itself, never the file it points to
        return
    try:
        os.link(tmp, path)  # fails if anything took the name meanwhile
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(path):
            raise _exists(path) from None
        os.replace(tmp, path)


@contextmanager
def text_file(raw: IO[bytes], encoding: str = "utf-8") -> Iterator[TextIO]:
    """UTF-8 text (no newline translation) onto the binary file of :func:`atomic_target`."""
    import io

    f = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        yield f
        f.flush()
    finally:
        f.detach()
