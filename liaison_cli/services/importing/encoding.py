"""Which encoding a CSV or JSON import file is in.

Excel saves a CSV as UTF-8 (with or without a BOM) or, on Chinese Windows,
as GB18030 (code page 936). UTF-8 is strict, so a file that decodes as
UTF-8 is UTF-8. GB18030 is not: nearly any byte sequence decodes, and a
Big5 or Shift-JIS file comes out as wrong but real-looking characters. So
GB18030 is accepted only when the text it gives is plausible Chinese: no
Private Use Area characters (where Big5's frequent characters land), and
mostly the common characters of GB2312 (Shift-JIS's kana and kanji land on
rare ones). A file that is mostly valid UTF-8 with a few bad sequences (an
overlong encoding, a cut character) is damaged UTF-8, not GB18030.
Anything else needs ``--encoding``.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from ...errors import ImportFileError
from ...i18n import _
from .files import read_error

BLOCK = 1 << 20
# characters no genuine GB18030 ledger holds: the Private Use Areas
_IMPLAUSIBLE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd]")
SAMPLE = 20_000  # non-ASCII characters whose mix is judged
COMMON_SHARE = 0.5  # at least this share of them must be GB2312 characters


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _decode(path: Path, encoding: str) -> tuple[int, int | None, str]:
    """(lines, offset of the first bad byte or None, a sample of the text)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = offset = 0
    sample: list[str] = []
    sampled = 0
    try:
        with path.open("rb") as f:
            while block := f.read(BLOCK):
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError as exc:
                    return lines, offset + exc.start, ""
                if encoding == "gb18030" and _IMPLAUSIBLE.search(text):
                    return lines, -1, ""
                if sampled < SAMPLE:
                    sample.append(text)
                    sampled += _non_ascii(text)
                lines += block.count(b"\n")
                offset += len(block)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return lines, offset, ""
    except OSError as exc:
        raise read_error(path, exc) from exc
    return lines, None, "".join(sample)


def _common_chinese(sample: str) -> bool:
    """Whether most non-ASCII characters of ``sample`` are GB2312's."""
    counts = Counter(c for c in sample if c > "\x7f")
    total = sum(counts.values())
    common = 0
    for c, n in counts.items():
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return total == 0 or common >= COMMON_SHARE * total


def _mostly_utf8(path: Path) -> bool:
    """More well-formed UTF-8 characters than bad sequences: damaged UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    good = bad = 0
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            text = decoder.decode(block)
            n = text.count("\ufffd")
            bad += n
            good += _non_ascii(text) - n
    return good > bad


def sniff_encoding(path: Path, encoding: str | None = None) -> tuple[str, int]:
    """The file's encoding and its number of lines; reads blocks, holding none.

    ``encoding`` (``--encoding``) is used as given; otherwise UTF-8 (a BOM is
    dropped), else GB18030 when the text it gives is plausible.
    """
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(
                _("unknown encoding {name!r} (for example utf-8, gb18030, big5, shift_jis)").format(
                    name=encoding
                )
            ) from None
        name = "utf-8-sig" if name == "utf-8" else name
        lines, bad, _sample = _decode(path, name)
        if bad is not None:
            raise ImportFileError(
                _("cannot read the file as {encoding} text (byte {pos})").format(
                    encoding=encoding, pos=bad
                )
            )
        return name, lines
    lines, bad, _sample = _decode(path, "utf-8-sig")
    if bad is None:
        return "utf-8-sig", lines
    utf8_bad = bad
    try:
        damaged = _mostly_utf8(path)
    except OSError as exc:
        raise read_error(path, exc) from exc
    if not damaged:
        lines, bad, sample = _decode(path, "gb18030")
        if bad is None and _common_chinese(sample):
            return "gb18030", lines
    raise ImportFileError(
        _(
            "cannot tell the file's encoding: it is not UTF-8 (bad byte {pos}) and does "
            "not read as GB18030 Chinese text; give it with --encoding (for example "
            "--encoding big5)"
        ).format(pos=utf8_bad)
    )
