"""Names one character apart: the misspelling an import should point out.

``第四检查部`` for ``第四检察部`` is a new department to the ledger; before it
is created the clerk should hear that it is one character away from one
there. Two names are one character apart when one character changed, was
added or was left out (edit distance 1). Registries hold hundreds of names,
so each name is indexed by its variants with one character blanked or
removed, and a new name is looked up by its own: no pairwise comparison.
"""

from __future__ import annotations

from collections.abc import Iterable

_BLANK = "\0"
NUMERALS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百")


def _blanked(name: str) -> list[str]:
    """The name with each character in turn replaced by a blank."""
    return [name[:i] + _BLANK + name[i + 1 :] for i in range(len(name))]


def _shortened(name: str) -> list[str]:
    """The name with each character in turn removed."""
    return [name[:i] + name[i + 1 :] for i in range(len(name))]


class NearNames:
    """Names seen so far, asked which of them lie one character from a new one."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names: dict[str, None] = {}
        self._by_blank: dict[str, list[str]] = {}
        self._by_removal: dict[str, list[str]] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        if name in self._names:
            return
        self._names[name] = None
        for key in _blanked(name):
            self._by_blank.setdefault(key, []).append(name)
        for key in set(_shortened(name)):
            self._by_removal.setdefault(key, []).append(name)

    def near(self, name: str) -> list[str]:
        """The names one character from ``name`` (changed, added or left out), in order seen.

        A difference in a numeral is no misspelling: 第四检察部 and 第五检察部,
        第十检察部 and 第十一检察部 are different departments.
        """
        found: dict[str, None] = {}
        for i, key in enumerate(_blanked(name)):  # one character changed
            for other in self._by_blank.get(key, ()):
                if not (name[i] in NUMERALS and other[i] in NUMERALS):
                    found[other] = None
        for i, key in enumerate(_shortened(name)):  # one character too many in ``name``
            if key in self._names and name[i] not in NUMERALS:
                found[key] = None
        for other in self._by_removal.get(name, ()):  # one character left out
            if _extra(other, name) not in NUMERALS:
                found[other] = None
        found.pop(name, None)
        order = {n: i for i, n in enumerate(self._names)}
        return sorted(found, key=order.__getitem__)


def _extra(longer: str, shorter: str) -> str:
    """The character ``longer`` has that ``shorter`` lacks (one removed)."""
    for i, char in enumerate(shorter):
        if longer[i] != char:
            return longer[i]
    return longer[-1]
