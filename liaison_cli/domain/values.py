"""What a ledger accepts as a text, a name or a term: one set of rules for every way in.

The commands, the importer and the CLI edge all check values with these
rules, so a value refused by ``deputy add`` is refused by ``import deputies``
with the same words. Control characters (NUL above all) corrupt exports and
some drivers, and lone surrogates (bytes a terminal sent in another encoding)
cannot be encoded by any driver, so both are refused rather than dropped;
tabs and newlines are fine in free text.
"""

from __future__ import annotations

import re

from ..errors import InvalidValue
from ..i18n import _

MAX_TEXT = 20_000  # characters in a free-text field (content, summary, reason)
MAX_NAME = 100  # a person's name
MAX_DEPARTMENT = 200
MAX_TERM = 99

# Optional one-line text fields of a deputy and their maximum length.
DEPUTY_TEXT_FIELDS = {"delegation": 200, "unit": 300, "sector": 200, "phone": 100, "address": 300}

# control characters refused in one line, and in free text (which keeps \t \n \r)
CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(text: str, what: str, *, single_line: bool, max_len: int) -> str | None:
    """Why ``text`` cannot be stored as ``what`` (translated), or None when it can."""
    if (CONTROL_IN_LINE if single_line else CONTROL_IN_TEXT).search(text):
        return _("{what} contains control characters").format(what=what)
    if SURROGATE.search(text):
        return _("{what} is not valid text").format(what=what)
    if len(text) > max_len:
        return _("{what} is too long ({n} characters, at most {max})").format(
            what=what, n=len(text), max=max_len
        )
    return None


def unstorable_problem(text: str, what: str, *, file_name: bool = False) -> str | None:
    """Why no database can store or match ``text`` at all (a NUL, broken encoding).

    A file name may hold any bytes the file system allows, so only a NUL is
    refused in one.
    """
    if "\x00" in text:
        return _("{what} contains control characters").format(what=what)
    if not file_name and SURROGATE.search(text):
        return _("{what} is not valid text").format(what=what)
    return None


def clean_text(
    value: str | None,
    what: str,
    *,
    required: bool = False,
    max_len: int = MAX_TEXT,
    single_line: bool = False,
) -> str | None:
    """A text field stripped, None when blank; refused when a ledger must not hold it."""
    text = value.strip() if value is not None else ""
    if not text:
        if required:
            raise InvalidValue(_("{what} must not be empty").format(what=what))
        return None
    problem = text_problem(text, what, single_line=single_line, max_len=max_len)
    if problem:
        raise InvalidValue(problem)
    return text


def clean_name(value: str | None, what: str, *, max_len: int = MAX_NAME) -> str:
    """A required one-line name (a person, a department)."""
    text = clean_text(value, what, required=True, max_len=max_len, single_line=True)
    assert text is not None
    return text


def parse_term(term: int | str | None) -> int | None:
    """A term (届次) as a number: ``14``, ``第14届``; blank is no term."""
    if term is None or str(term).strip() == "":
        return None
    try:
        value = int(str(term).strip().removeprefix("第").removesuffix("届"))
    except ValueError as exc:
        raise InvalidValue(_("term must be a number, not {v!r}").format(v=term)) from exc
    if not 1 <= value <= MAX_TERM:
        raise InvalidValue(_("term must be between 1 and {max}").format(max=MAX_TERM))
    return value
