"""SQLite files on disk: created private (0600), copied with the online backup API.

A ledger holds personal data (deputies' phones and addresses), so every file
liaison creates, database or backup, is readable by its owner only whatever
the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DatabaseError, InvalidValue
from ..i18n import _


def create_private_file(path: Path) -> None:
    """Create an empty SQLite file readable by its owner only (0600)."""
    if path.is_dir():
        raise DatabaseError(_("{path} is a directory, not a database file").format(path=path))
    if path.exists():
        if not path.is_file():
            # a FIFO, a device such as /dev/null, a socket: SQLite would fail
            # on it with a misleading "disk I/O error"
            raise DatabaseError(
                _("{path} is not a regular file, so not a database file").format(path=path)
            )
        return
    # mkdir(exist_ok=True) raises FileExistsError for a file in the way
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DatabaseError(
                    _("cannot create database {path}: {parent} is not a directory").format(
                        path=path, parent=parent
                    )
                )
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DatabaseError(
            _("cannot create database {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from exc


def read_only_uri(path: Path) -> str | None:
    """A ``file:`` URI opening the file read-only, or None if it can be written.

    SQLite asked to open a file it may not write (mode 0444, a read-only
    mount) in read-write mode fails with "unable to open" instead of
    reading it. Read-only, it reads; on a read-only file system it is also
    told the file cannot change (``immutable``), since it could not create the
    WAL index beside it there.
    """
    from urllib.parse import quote

    # SQLite writes beside the file too (its -wal, or a -journal): a folder it
    # cannot write in is a read-only database unless the -wal is there to use
    wal = path.with_name(path.name + "-wal")
    if os.access(path, os.W_OK) and (os.access(path.parent, os.W_OK) or os.access(wal, os.W_OK)):
        return None
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            uri += "&immutable=1"
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        pass
    return uri


def copy_sqlite_file(source: Path, target: Path, busy_timeout: float) -> None:
    """Copy a SQLite file with the online backup API (safe while others write).

    The target must be a new file: an existing one is the user's choice of
    name to correct (exit 1), never overwritten. A copy that fails part-way
    is removed.
    """
    import sqlite3

    if target.exists():
        raise InvalidValue(_("{path} already exists; choose a new file name").format(path=target))
    create_private_file(target)
    src = sqlite3.connect(str(source), timeout=busy_timeout)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    except Exception:
        target.unlink(missing_ok=True)
        raise
    finally:
        src.close()
