"""The order in which people read a list of departments.

Procuratorates number their departments 第一检察部 … 第十一检察部. Sorted by
code point they read 第一, 第七, 第三, 第九, 第二, 第五 …; a reader expects
第一 … 第十, 第十一. A name that starts with an ordinal (第 and a number in
Chinese numerals or digits) sorts by that number, before the other names;
equal numbers and the other names sort by name.
"""

from __future__ import annotations

import re

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ORDINAL = re.compile(r"第([〇零一二两三四五六七八九十百千]+|[0-9０-９]+)")


def _chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23, 一百零五 → 105."""
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


def department_sort_key(name: str) -> tuple[int, int, str]:
    """Ordinal names (第一 … 第十一) in numeric order first, then the others by name."""
    m = _ORDINAL.match(name)
    if m is None:
        return (1, 0, name)
    number = m.group(1)
    if number[0] in _DIGITS or number[0] in _UNITS:
        return (0, _chinese_number(number), name)
    return (0, int(number), name)
