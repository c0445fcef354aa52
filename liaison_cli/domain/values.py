"""What a ledger accepts as a text, a name or a term: one set of rules for every way in.

The commands, the importer and the CLI edge all check values with these
rules, so a value refused by ``deputy add`` is refused by ``import deputies``
with the same words. Control characters (NUL above all) corrupt exports and
some drivers, and lone surrogates (bytes a terminal sent in another encoding)
cannot be encoded by any driver, so both are refused rather than dropped;
tabs and newlines are fine in free text. Invisible characters (a byte-order
mark, zero-width spaces) and the marks that reverse the direction of text
make a name look like another one, or like nothing: at either end of a value
they are stripped with the spaces, inside it they are refused.

Digits a clerk types full-width (``２０２６``, from a Chinese input method)
read as ASCII ones; other digits (``²``, ``①``) are no id and no date.
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

# invisible (format) characters: soft hyphen, zero-width spaces and joiners,
# direction marks, embeddings, overrides and isolates, word joiner, BOM
INVISIBLE_CHARS = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# what one line, and a free text (which keeps \t \n \r), must not hold
BAD_IN_LINE = re.compile(f"[\\x00-\\x1f\\x7f\\ud800-\\udfff{INVISIBLE_CHARS}]")
BAD_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff{INVISIBLE_CHARS}]")
_EDGES = re.compile(f"^[\\s{INVISIBLE_CHARS}]+|[\\s{INVISIBLE_CHARS}]+$")

# full-width ASCII (！ to ～) and the ideographic space, as ASCII
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def strip_text(text: str) -> str:
    """``text`` without spaces and invisible characters at either end."""
    return _EDGES.sub("", text)


def half_width(text: str) -> str:
    """Full-width letters, digits and signs (``２０２６－１１``) as ASCII ones."""
    return text.translate(_HALF_WIDTH)


def parse_id(text: str | None) -> int | None:
    """A reference typed as an id (ASCII or full-width digits), else None.

    ``str.isdigit`` also holds for ``²`` and ``①``, which ``int`` cannot read.
    """
    digits = half_width(strip_text(text or ""))
    if digits.isascii() and digits.isdigit() and len(digits) < 10:
        return int(digits)
    return None


def character_problem(text: str, what: str, *, single_line: bool) -> str | None:
    """Why ``text`` holds a character no text field may hold (translated), or None.

    The one rule of every text field, the importer's cells included.
    """
    bad = (BAD_IN_LINE if single_line else BAD_IN_TEXT).search(text)
    if bad is None:
        return None
    if SURROGATE.match(bad.group()):
        return _("{what} is not valid text").format(what=what)
    if INVISIBLE.match(bad.group()):
        return _("{what} contains invisible or text-direction characters").format(what=what)
    return _("{what} contains control characters").format(what=what)


def text_problem(text: str, what: str, *, single_line: bool, max_len: int) -> str | None:
    """Why ``text`` cannot be stored as ``what`` (translated), or None when it can."""
    problem = character_problem(text, what, single_line=single_line)
    if problem:
        return problem
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
    text = strip_text(value) if value is not None else ""
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


# the separators of a list of names, in a ledger cell as on the command line
NAME_SEPARATORS = ";；、,，"
_SEPARATORS = re.compile(f"[{NAME_SEPARATORS}]")
# ``张伟(内江市东兴区人民医院)`` or ``张伟（#12）``: a name and what tells it apart
_QUALIFIED = re.compile(r"^(.+?)\s*[(（]\s*(.+?)\s*[)）]$")


def split_names(text: str) -> tuple[str, ...]:
    """Names separated by ``; ； 、 , ，``, a separator inside parentheses excepted;
    each name once, in the order given."""
    parts: list[str]
    if "(" not in text and "（" not in text:
        parts = _SEPARATORS.split(text)
    else:
        parts = []
        current: list[str] = []
        depth = 0
        for ch in text:
            if ch in "(（":
                depth += 1
            elif ch in ")）":
                depth = max(depth - 1, 0)
            if depth == 0 and ch in NAME_SEPARATORS:
                parts.append("".join(current))
                current = []
            else:
                current.append(ch)
        parts.append("".join(current))
    seen: list[str] = []
    for p in parts:
        name = strip_text(p)
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def split_qualified(text: str) -> tuple[str, str] | None:
    """``张伟(内江市东兴区人民医院)`` as (``张伟``, ``内江市东兴区人民医院``), else None.

    The qualifier is the unit of one of several deputies sharing a name, or
    ``#12``, the id of one.
    """
    m = _QUALIFIED.match(text)
    return (m.group(1), m.group(2)) if m else None
