"""Writing files: the one atomic write, and the format a file's name asks for.

Every file liaison writes (an export, a report) is written beside its target
and moved into place when complete, so a failed or interrupted write leaves
no half file. Every text cell of a file meant for a spreadsheet goes through
:func:`liaison_cli.domain.ledger.neutralise` (the rule the import undoes), so
that no spreadsheet runs a cell as a formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InvalidValue
from ..i18n import _


def format_by_extension(path: str, formats: dict[str, str], refusal: str) -> str:
    """The format named by ``path``'s extension; ``refusal`` (with ``{name}``) if none."""
    fmt = formats.get(Path(path).suffix.lower())
    if fmt is None:
        raise InvalidValue(refusal.format(name=Path(path).name))
    return fmt


@contextmanager
def atomic_target(path: str) -> Iterator[Path]:
    """A temporary path beside ``path``, moved onto it when the block succeeds.

    Refuses a directory before anything is written; the temporary file is
    removed whatever happens.
    """
    target = Path(path)
    if target.is_dir():
        raise InvalidValue(_("{path} is a directory").format(path=target))
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
