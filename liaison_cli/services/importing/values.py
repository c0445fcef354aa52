"""The values of a ledger's cells: text, dates, vocabulary words, flags, name lists.

The checks are those the commands make (``common.clean_text``, the
vocabularies, ``parse_date``), written for a loop over every cell of a big
ledger: regexes instead of character loops, and each distinct text parsed
once and remembered (a ledger repeats its dates and words row after row). A
bad value raises :class:`BadValue` with the column's key; the row loop adds
the line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...domain.dates import parse_date
from ...domain.values import BAD_IN_LINE, BAD_IN_TEXT, MAX_TEXT, character_problem, strip_text
from ...domain.values import split_names as split_values
from ...domain.vocab import Vocabulary
from ...errors import InvalidValue
from ...i18n import _

Row = dict[str, Any]  # one ledger row: field key -> stripped text, a date, or None

CACHE_LIMIT = 10_000  # entries in a cache of parsed values (the memory budget)

_TRUE = {"true", "yes", "y", "1", "是", "√", "✓", "x", "重点", "重点督办"}
_FALSE = {"false", "no", "n", "0", "否", "", "-"}


class BadValue(Exception):
    """A bad value in the column ``key`` (None: the row as a whole)."""

    def __init__(self, key: str | None, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


def empty(what: str) -> str:
    """The message for a required value left blank; ``what`` untranslated."""
    return _("{what} must not be empty").format(what=_(what))


def as_str(value: Any) -> str | None:
    """A cell as text: a spreadsheet's date cell in ISO form."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def has_control_characters(text: str) -> bool:
    return BAD_IN_LINE.search(text) is not None


def text(
    row: Row,
    key: str,
    what: str,
    *,
    required: bool = False,
    max_len: int = MAX_TEXT,
    single_line: bool = True,
) -> str | None:
    """The same checks as ``common.clean_text``; ``what`` untranslated (``N_``)."""
    value = row.get(key)
    if value is None:
        if required:
            raise BadValue(key, empty(what))
        return None
    if value.__class__ is not str:
        value = value.isoformat()  # a date cell in a text column
    if (BAD_IN_LINE if single_line else BAD_IN_TEXT).search(value):
        # invisible characters at either end are stripped, as a command strips them
        value = strip_text(value)
        if not value:
            if required:
                raise BadValue(key, empty(what))
            return None
        problem = character_problem(value, _(what), single_line=single_line)
        if problem:
            raise BadValue(key, problem)
    if len(value) > max_len:
        raise BadValue(
            key,
            _("{what} is too long ({n} characters, at most {max})").format(
                what=_(what), n=len(value), max=max_len
            ),
        )
    return str(value)


class Dates:
    """Dates parsed once per distinct text; a blank cell is None."""

    def __init__(self) -> None:
        self.known: dict[Any, date | None] = {None: None}

    def get(self, row: Row, key: str, *, required: bool = False) -> date | None:
        value = row.get(key)
        if value in self.known:  # the usual case: a text seen before
            found = self.known[value]
        elif isinstance(value, date):
            found = value
        else:
            try:
                found = parse_date(value)
            except InvalidValue as exc:
                raise BadValue(key, exc.message) from exc
            if len(self.known) > CACHE_LIMIT:
                self.known = {None: None}
            self.known[value] = found
        if found is None and required:
            raise BadValue(key, _("empty date"))
        return found


class Codes:
    """A vocabulary's parse, remembered per distinct text; a blank is ``default``."""

    def __init__(self, vocab: Vocabulary, default: str | None = None) -> None:
        self.vocab = vocab
        self.known: dict[Any, str | None] = {None: default}

    def get(self, row: Row, key: str) -> str | None:
        value = row.get(key)
        if value in self.known:  # the usual case: a word seen before
            return self.known[value]
        try:
            code = self.vocab.parse(as_str(value) or "")
        except InvalidValue as exc:
            raise BadValue(key, exc.message) from exc
        self.known[value] = code
        return code


def flag(row: Row, key: str) -> bool:
    """A yes/no cell (是/否, √, 重点 …); blank is no."""
    value = as_str(row.get(key))
    if value is None:
        return False
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise BadValue(key, _("{value!r} is not yes or no").format(value=value))


_SPLIT_CACHE: dict[str, tuple[str, ...]] = {}


def split_names(text: str) -> tuple[str, ...]:
    """:func:`...domain.values.split_names`, remembered per text: a ledger names
    the same deputies row after row."""
    found = _SPLIT_CACHE.get(text)
    if found is None:
        if len(_SPLIT_CACHE) > CACHE_LIMIT:
            _SPLIT_CACHE.clear()
        found = _SPLIT_CACHE[text] = split_values(text)
    return found


def names(row: Row, key: str) -> tuple[str, ...]:
    """A list of names in one cell; at least one (the deputies of a case or contact)."""
    value = as_str(row.get(key))
    found = split_names(value) if value else ()
    if not found:
        raise BadValue(key, _("at least one deputy is required"))
    return found
