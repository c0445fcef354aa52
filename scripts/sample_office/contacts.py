"""The contacts' part of the plan: the monthly bulletin and the everyday liaison work."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .base import Person, Plan, next_month, weekday
from .data import (
    CITY,
    CONTACT_MIX,
    CONTACT_TEXTS,
    CONTACTS_PER_YEAR,
    DEPARTMENTS,
    FESTIVALS,
    LIAISON_OFFICE,
    LIAISONS,
    THEMES,
)


def contact_summary(rng: random.Random, kind: str, year: int, issue: int, place: dict) -> str:
    theme = rng.choice(THEMES)
    if kind == "bulletin":
        return f"编发《代表联络专刊》{year}年第{issue}期"
    text = rng.choice(CONTACT_TEXTS[kind])
    return text.format(
        theme=theme,
        festival=rng.choice(FESTIVALS),
        city=CITY,
        year=year,
        **place,
    )


class ContactPlan(Plan):
    """Adds the contacts: who the office meets, writes to or calls, and when."""

    def plan_contacts(self) -> None:
        rng = self.rng
        # the bulletin (联络专刊) goes out monthly to the national and provincial deputies
        month = date(self.start.year, 1, 1)
        issue = 0
        while month <= self.today:
            if month.month == 1:
                issue = 0
            issue += 1
            on = weekday(month + timedelta(days=rng.randint(8, 14)), month)
            readers = [
                p
                for p in self.people
                if p.since <= on and p.level in ("national", "provincial") and p.body == "npc"
            ]
            self.contact(on, "bulletin", readers, "周敏", issue)
            month = next_month(month)
        # everything else, spread over the working days
        first = self.setup + timedelta(days=1)
        days = (self.today - first).days
        total = CONTACTS_PER_YEAR * days // 365
        types = list(CONTACT_MIX)
        weights = [CONTACT_MIX[t][0] for t in types]
        dated = sorted(
            weekday(first + timedelta(days=rng.randint(0, days)), first) for _ in range(total)
        )
        for on in dated:
            kind = rng.choices(types, weights=weights)[0]
            low, high = CONTACT_MIX[kind][1:]
            n = rng.randint(low, high)
            if kind == "message" and rng.random() < 0.15:
                n = rng.randint(10, 30)  # a group message
            who = self.reached(on, n)
            staff = (
                rng.choice(LIAISONS)
                if kind not in ("trial", "hearing") or rng.random() < 0.5
                else rng.choice(DEPARTMENTS["刑事检察部"] + DEPARTMENTS["控告申诉检察部"])
            )
            self.contact(on, kind, who, staff, 0)

    def contact(self, on: date, kind: str, who: list[Person], staff: str, issue: int) -> None:
        summary = contact_summary(self.rng, kind, on.year, issue, self.place())
        dept = next((d for d, names in DEPARTMENTS.items() if staff in names), LIAISON_OFFICE)

        def run(o: Any) -> None:
            o.call(
                "contacts",
                "log_contact",
                deputies=[p.ref for p in sorted(who, key=lambda p: p.id or 0)],
                type=kind,
                on=on,
                staff=o.staff_ref(staff, dept),
                summary=summary,
            )

        self.at(on, 3, run)
