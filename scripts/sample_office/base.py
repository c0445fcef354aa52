"""The plan's pieces: planned deputies, dated steps, and the planner they share.

:class:`Plan` holds what every part of the plan reads and adds to: the seeded
random generator, the sample's today, the people on the registry and the
dated steps. The registry, the cases and the contacts each add their steps in
a mixin of their own (:mod:`.registry`, :mod:`.cases`, :mod:`.contacts`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .data import (
    CITY,
    COMPANIES,
    CRIMES,
    DISTRICTS,
    FEMALE,
    LEVEL_COUNTS,
    MALE,
    RIVERS,
    SURNAMES,
    TOWNS,
    VILLAGES,
)


@dataclass
class Person:
    """A deputy as planned: the id it gets once added, and how active it is."""

    name: str
    body: str
    level: str
    since: date
    weight: float
    fields: dict[str, Any]
    id: int | None = None
    unique: bool = True  # no other deputy has this name
    reach: float = 1.0  # how readily the office gets hold of them for contacts

    @property
    def ref(self) -> str:
        """What a clerk types: the name, or the id when the name is shared."""
        return self.name if self.unique else str(self.id)


@dataclass
class CaseHandle:
    number: str | None = None


@dataclass(order=True)
class Step:
    on: date
    phase: int  # within a day: registry, then new cases, then steps, then contacts
    seq: int
    run: Callable[[Any], None] = field(compare=False)


def weekday(d: date, floor: date) -> date:
    """Move a weekend date to the Friday before (if not before ``floor``) or the Monday after."""
    if d.weekday() < 5:
        return d
    back = d - timedelta(days=d.weekday() - 4)
    return back if back >= floor else d + timedelta(days=7 - d.weekday())


def pick_weighted(
    rng: random.Random, people: list[Person], k: int, weight: Callable[[Person], float]
) -> list[Person]:
    """Up to ``k`` people, the heavier more likely, no two of the same name.

    Two deputies named 张伟 on one case would read like a typo in a listing,
    so a group holds one person of each name.
    """
    keyed = sorted(people, key=lambda p: rng.random() ** (1.0 / weight(p)), reverse=True)
    chosen: list[Person] = []
    names: set[str] = set()
    for person in keyed:
        if len(chosen) == k:
            break
        if person.name not in names:
            chosen.append(person)
            names.add(person.name)
    return chosen


LEVEL_ORDER = {level: i for i, level in enumerate(LEVEL_COUNTS)}


def next_month(d: date) -> date:
    """The first day of the month after ``d``'s."""
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


class Plan:
    """The office's history as dated steps, planned from one seed."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.start = date(today.year - 2, 1, 1)
        # the registry is keyed in on the first working days; the rest follows
        self.setup = weekday(self.start + timedelta(days=2), self.start)
        self.steps: list[Step] = []
        self.people: list[Person] = []
        self.staff_ids: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}

    # the plan ------------------------------------------------------------------

    def at(self, on: date, phase: int, run: Callable[[Any], None]) -> None:
        if on <= self.today:
            self.steps.append(Step(on, phase, len(self.steps), run))

    def place(self) -> dict[str, str]:
        district = self.rng.choice(DISTRICTS)
        town = self.rng.choice(TOWNS[district])
        return {
            "district": district,
            "town": district + town,
            "village": town + self.rng.choice(VILLAGES),
            "river": self.rng.choice(RIVERS),
            "party": self.rng.choice(SURNAMES) + "某",
            "company": CITY + self.rng.choice(COMPANIES),
            "crime": self.rng.choice(CRIMES),
        }

    def name(self, taken: set[str]) -> str:
        rng = self.rng
        while True:
            chars = MALE if rng.random() < 0.6 else FEMALE
            given = (
                rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
            )
            full = rng.choice(SURNAMES) + given
            if full not in taken and full[1:2] != full[2:3]:
                taken.add(full)
                return full

    def authors(self, on: date, body: str | None, k: int, level: str | None = None) -> list[Person]:
        """Deputies who write to the office, the active ones more often."""
        pool = [
            p
            for p in self.people
            if p.since <= on
            and (body is None or p.body == body)
            and (level is None or p.level == level)
        ]
        return pick_weighted(self.rng, pool, k, lambda p: p.weight)

    def reached(self, on: date, k: int) -> list[Person]:
        """Deputies the office contacts: some it hardly ever reaches."""
        pool = [p for p in self.people if p.since <= on]
        return pick_weighted(self.rng, pool, k, lambda p: p.weight * p.reach)

    def staff_ref(self, name: str, dept: str) -> str:
        """What a clerk types for a staff member: the id once known, else the name."""
        return str(self.staff_ids.get((name, dept), name))
