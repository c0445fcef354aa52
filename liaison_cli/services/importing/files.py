"""What every reader of an import file shares: the options and the raw rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ImportFileError
from ...i18n import _

Raw = Iterator[tuple[int, list[Any]]]  # (line, cells) from line 1

LIST_AT_MOST = 10  # names a message lists before "and N more"


@dataclass(frozen=True)
class ReadOptions:
    """How to read the file: ``--sheet`` of a workbook, ``--encoding`` of a text file."""

    sheet: str | None = None
    encoding: str | None = None


def read_error(path: Path, exc: OSError) -> ImportFileError:
    return ImportFileError(
        _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
    )


def short_list(names: Sequence[str], at_most: int = LIST_AT_MOST) -> str:
    """``a, b, c``, naming at most ``at_most`` of them: ``a, b, c and 99990 more``."""
    shown = _(", ").join(names[:at_most])
    if len(names) <= at_most:
        return shown
    return _("{names} and {n} more").format(names=shown, n=len(names) - at_most)
