"""The sample office behind ``sample.db``: ``python scripts/make_sample.py``.

A newcomer should see an office's real-looking years in one command, and the
README should show the same rows every time. So the office is *generated*, not
hand-written: from a fixed seed, relative to a fixed "today" (2026-11-20),
and through the project's own services (registry, deputies, cases,
contacts), so every row obeys the same rules a clerk's entries do and every
step leaves its event. Event timestamps come from a pinned clock, so a
regenerated file has the same content, table by table and row by row
(:func:`dump` is what the tests compare).

The fictional city of 安澜市 (江南省) has a municipal procuratorate whose
liaison office keeps about 300 deputies and CPPCC members on its registry,
eight handling departments, three years of cases and a few thousand contacts.
Places, people, units and phone numbers are invented.
"""

from .play import SEED, TODAY, build, dump, generate

__all__ = ["SEED", "TODAY", "build", "dump", "generate"]
