"""The sample office behind ``sample.db``: ``python -m liaison_cli.sample``.

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

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .sample_data import (
    ADMIN,
    BUREAUS,
    CITY,
    CIVIL,
    CLERKS,
    COMMUNITIES,
    COMPANIES,
    CONTACT_MIX,
    CONTACT_TEXTS,
    CONTACTS_PER_YEAR,
    CPPCC_COUNTS,
    CPPCC_SECTORS,
    CRIMES,
    DEPARTMENTS,
    DISTRICTS,
    EXTENSION_REASONS,
    FEMALE,
    FESTIVALS,
    LAW_FIRMS,
    LETTER_ISSUES,
    LEVEL_COUNTS,
    LEVEL_WEIGHT,
    LIAISON_BY_LEVEL,
    LIAISON_OFFICE,
    LIAISONS,
    MALE,
    NPC_SECTORS,
    OUT_OF_REACH,
    PETITIONS,
    PROVINCE,
    REMINDER_NOTES,
    REOPEN_REASONS,
    REPLY_SUMMARIES,
    RIVERS,
    ROADS,
    SCHOOLS,
    SHARED_NAMES,
    SURNAMES,
    TERMS,
    THEMES,
    TOPIC_WEIGHTS,
    TOPICS,
    TOWNS,
    VILLAGES,
)

TODAY = date(2026, 11, 20)
SEED = 20261120


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


# -- plan ---------------------------------------------------------------------------


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


class Office:
    """Plans the office's history as dated steps, then plays them through the services."""

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

    def unit_for(self, level: str, sector: str) -> tuple[str, str]:
        """A work unit and address fitting the level and sector."""
        rng = self.rng
        p = self.place()
        district, town, village = p["district"], p["town"], p["village"]
        office = f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"
        company = CITY + rng.choice(COMPANIES)
        if level == "township":
            # township deputies live and work where they were elected
            unit = rng.choice(
                [f"{village}党支部", f"{village}村民委员会", office, f"{town}中心小学",
                 f"{town}卫生院", f"{district}{rng.choice(['水果', '茶叶', '蔬菜'])}种植专业合作社"]
            )  # fmt: skip
            return unit, f"{CITY}{district}{village}{rng.randint(1, 120)}号"
        choices = {
            "医疗卫生": [f"{district}人民医院", f"{CITY}中医院", f"{CITY}妇幼保健院"],
            "医药卫生界": [f"{CITY}第一人民医院", f"{district}中医院", f"{CITY}疾病预防控制中心"],
            "教育": [f"{CITY}{rng.choice(SCHOOLS)}", f"{district}实验小学", f"{CITY}职业技术学院"],
            "教育界": [f"{PROVINCE[:2]}大学", f"{CITY}第一中学", f"{CITY}职业技术学院"],
            "法律": [f"{PROVINCE[:2]}{rng.choice(LAW_FIRMS)}律师事务所"],
            "企业负责人": [company],
            "经济界": [company, f"{CITY}农村商业银行"],
            "工商联": [company],
            "农民": [f"{village}党支部", f"{district}{rng.choice(['水果', '茶叶'])}种植专业合作社"],
            "农业界": [f"{district}农业技术推广中心", f"{village}党支部"],
            "基层干部": [f"{village}党支部", office, f"{district}{rng.choice(COMMUNITIES)}居委会"],
            "党政干部": [f"{district}{rng.choice(BUREAUS)}", office, f"{PROVINCE}交通运输厅"],
            "工人": [company, f"{CITY}公交集团", f"{district}供电公司"],
            "科技": [f"{CITY}科学技术协会", f"{CITY}新能源科技有限公司", f"{CITY}农业科学研究院"],
            "科技界": [f"{CITY}科学技术协会", f"{CITY}农业科学研究院"],
            "文化": [f"{district}文化馆", f"{CITY}图书馆", f"{CITY}日报社"],
            "文化艺术界": [f"{district}文化馆", f"{CITY}歌舞剧院", f"{CITY}博物馆"],
        }  # fmt: skip
        default = [company, f"{district}{rng.choice(BUREAUS)}", f"{CITY}科学技术协会"]
        unit = rng.choice(choices.get(sector, default))
        return unit, f"{CITY}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}号"

    def plan_registry(self) -> None:
        rng = self.rng
        setup = self.setup

        def add_dept(name: str) -> Callable[[Any], None]:
            return lambda o: o.call("registry", "add_department", name=name, on=o.day)

        def add_staff(name: str, dept: str) -> Callable[[Any], None]:
            return lambda o: o.add_staff(name, dept)

        for dept in (*DEPARTMENTS, LIAISON_OFFICE):
            self.at(setup, 0, add_dept(dept))
        for name in LIAISONS:
            self.at(setup, 0, add_staff(name, LIAISON_OFFICE))
        for dept, handlers in DEPARTMENTS.items():
            for name in handlers:
                self.at(setup, 0, add_staff(name, dept))

        taken: set[str] = set(SHARED_NAMES)
        shared = list(SHARED_NAMES)
        phones: set[str] = set()
        people: list[Person] = []
        for level, n in LEVEL_COUNTS.items():
            for i in range(n):
                body = "cppcc" if i < CPPCC_COUNTS[level] else "npc"
                sector = rng.choice(CPPCC_SECTORS if body == "cppcc" else NPC_SECTORS)
                unit, address = self.unit_for(level, sector)
                while True:
                    phone = "139" + "".join(rng.choice("0123456789") for _ in range(8))
                    if phone not in phones:
                        phones.add(phone)
                        break
                district = rng.choice(DISTRICTS)
                delegation = {
                    "national": f"{PROVINCE[:2]}代表团",
                    "provincial": f"{CITY}代表团",
                    "municipal": f"{district}代表团",
                    "county": f"{rng.choice(TOWNS[district])}代表组",
                    "township": f"{rng.choice(VILLAGES)}选区",
                }[level]
                people.append(
                    Person(
                        name="",
                        body=body,
                        level=level,
                        since=setup,
                        weight=min(8.0, rng.paretovariate(1.6)) * LEVEL_WEIGHT[level],
                        fields={
                            "term": TERMS[(body, level)],
                            "delegation": None if body == "cppcc" else delegation,
                            "unit": unit,
                            "sector": sector,
                            "phone": phone,
                            "address": address,
                            "liaison": rng.choice(LIAISON_BY_LEVEL[level])
                            if rng.random() < 0.92
                            else None,
                        },
                    )
                )
        # the shared names go to NPC deputies spread over the levels
        npc = [p for p in people if p.body == "npc"]
        for person, name in zip(rng.sample(npc, len(shared)), shared, strict=True):
            person.name = name
        for person in people:
            if not person.name:
                person.name = self.name(taken)
        for person in people:
            person.unique = person.name not in SHARED_NAMES
            if rng.random() < OUT_OF_REACH[person.level]:
                person.reach = 0.005
        # a few deputies join later in by-elections (补选)
        for person in rng.sample(npc, 8):
            joined = self.start + timedelta(days=rng.randint(200, 700))
            person.since = weekday(joined, joined)
        people.sort(key=lambda p: (p.since, LEVEL_ORDER[p.level]))
        self.people = people

        def add_deputy(p: Person) -> Callable[[Any], None]:
            return lambda o: o.add_deputy(p)

        for person in people:
            self.at(person.since, 0, add_deputy(person))
        # a few phone numbers change over the years
        for person in rng.sample(npc, 6):
            changed = person.since + timedelta(days=rng.randint(60, 600))
            phone = "139" + "".join(rng.choice("0123456789") for _ in range(8))
            self.at(weekday(changed, changed), 0, self._edit_phone(person, phone))

    @staticmethod
    def _edit_phone(person: Person, phone: str) -> Callable[[Any], None]:
        return lambda o: o.call(
            "deputies", "edit_deputy", ref=str(person.id), on=o.day, changes={"phone": phone}
        )

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

    def received_dates(self, year: int, n: int, session_share: float) -> list[date]:
        """Receipt dates: many just after the congress sessions (Feb–Apr), the rest all year."""
        rng = self.rng
        first = max(date(year, 1, 1), self.setup + timedelta(days=1))
        end = min(date(year, 12, 31), self.today)
        span = (end - first).days
        out = []
        for _ in range(n):
            if rng.random() < session_share:
                d = date(year, 2, 20) + timedelta(days=int(rng.triangular(0, 55, 10)))
            else:
                d = first + timedelta(days=rng.randint(0, span))
            d = weekday(d, first)
            if d <= end:
                out.append(d)
        return sorted(out)

    def plan_cases(self) -> None:
        volumes = {self.start.year: 290, self.start.year + 1: 320, self.today.year: 280}
        kinds = [
            ("suggestion", 0.52, "npc", 0.5),
            ("motion", 0.03, "npc", 0.9),
            ("proposal", 0.14, "cppcc", 0.6),
            ("letter", 0.12, None, 0.0),
            ("concern", 0.12, None, 0.0),
            ("petition", 0.07, None, 0.0),
        ]
        plans: list[tuple[date, str, str | None]] = []
        for year, volume in volumes.items():
            for kind, share, body, session_share in kinds:
                n = max(1, round(volume * share))
                plans += [(d, kind, body) for d in self.received_dates(year, n, session_share)]
        plans.sort(key=lambda p: p[0])
        for received, kind, body in plans:
            self.plan_case(received, kind, body)

    def plan_case(self, received: date, kind: str, body: str | None) -> None:
        rng = self.rng
        p = self.place()
        # who wrote it
        if kind == "motion":
            # a motion to the city's or a county's congress, by ten deputies or more
            lead = self.authors(received, "npc", 1, rng.choice(["municipal", "county"]))[0]
            cosigners = [
                x
                for x in self.authors(received, "npc", rng.randint(10, 14), lead.level)
                if x.name != lead.name
            ]
        else:
            lead = self.authors(received, body, 1)[0]
            cosigners = []
            if kind in ("suggestion", "proposal") and rng.random() < 0.22:
                pool = self.authors(received, lead.body, rng.randint(1, 6) + 1, lead.level)
                cosigners = [x for x in pool if x.name != lead.name]
        # what it is about, and who handles it
        if kind in ("suggestion", "motion", "proposal"):
            dept = rng.choices(list(TOPIC_WEIGHTS), weights=list(TOPIC_WEIGHTS.values()))[0]
            topic, content = rng.choice(TOPICS[dept])
            suffix = {"suggestion": "的建议", "motion": "的议案", "proposal": "的提案"}[kind]
            title = "关于" + topic.format(**p) + suffix
            content = content.format(**p)
        elif kind == "letter":
            issue, dept = rng.choice(LETTER_ISSUES)
            title = "{name}{role}来信反映{issue}".format(
                name=lead.name,
                role="委员" if lead.body == "cppcc" else "代表",
                issue=issue.format(**p),
            )
            content = "来信反映" + issue.format(**p) + "，请求依法监督。"
        elif kind == "concern":
            dept, subject = rng.choices(
                [
                    ("刑事检察部", "{party}{crime}案"),
                    ("民事检察部", "{party}与{company}{civil}案"),
                    ("行政检察部", "{company}{admin}案"),
                    ("控告申诉检察部", "{party}申请国家赔偿案"),
                    ("刑事执行检察部", "{party}申请假释案"),
                ],
                weights=[45, 25, 10, 14, 6],
            )[0]
            case_name = subject.format(civil=rng.choice(CIVIL), admin=rng.choice(ADMIN), **p)
            title = f"代表关注的{case_name}"
            content = f"代表关注{case_name}的办理进展，请依法公正办理并及时反馈。"
        else:
            issue, dept = rng.choice(PETITIONS)
            title = f"{p['party']}{issue}"
            content = f"信访人{p['party']}{issue}，代表陪同来访。"
        co_depts: list[str] = []
        if rng.random() < 0.13:
            others = [d for d in DEPARTMENTS if d != dept]
            co_depts = rng.sample(others, 2 if rng.random() < 0.2 else 1)
        key = rng.random() < (0.3 if kind == "motion" else 0.05)
        complex_ = kind in ("suggestion", "motion", "proposal") and rng.random() < 0.07
        handle = CaseHandle()
        deputies = [lead, *cosigners]

        def add(o: Any) -> None:
            row = o.call(
                "cases",
                "add_case",
                deputies=[x.ref for x in deputies],
                title=title,
                kind=kind,
                received=received,
                content=content,
                key=key,
            )
            handle.number = row["number"]

        self.at(received, 1, add)
        self.plan_handling(handle, kind, received, dept, co_depts, complex_)

    def step(self, on: date, handle: CaseHandle, fn: str, **kw: Any) -> None:
        self.at(on, 2, lambda o: o.call("cases", fn, ref=handle.number, on=on, **kw))

    def plan_handling(
        self,
        h: CaseHandle,
        kind: str,
        received: date,
        dept: str,
        co_depts: list[str],
        complex_: bool,
    ) -> None:
        from .services import deadlines

        rng = self.rng
        rules = deadlines.Rules()
        assigned = received + timedelta(days=rng.choices([0, 1, 2, 3, 5, 7], [2, 4, 4, 3, 2, 1])[0])
        assigned = weekday(assigned, received)
        handler = rng.choice(DEPARTMENTS[dept])
        due = deadlines.substantive_due(kind, assigned, complex_, rules)

        # the procedural reply of letters and cases of concern
        proc: date | None = None
        if kind in ("letter", "concern"):
            roll = rng.random()
            if roll < 0.9:
                proc = received + timedelta(days=rng.randint(1, 6))
            elif roll < 0.97:
                proc = received + timedelta(days=rng.randint(8, 20))  # late
            proc = weekday(proc, received) if proc else None
        self.at(
            assigned,
            2,
            lambda o: o.call(
                "cases",
                "assign",
                ref=h.number,
                on=assigned,
                dept=dept,
                handler=o.staff_ref(handler, dept),
                co_depts=co_depts,
                complex_=complex_,
            ),
        )

        # how the first round goes
        span = (due - assigned).days
        stuck = rng.random() < 0.08 and self.today - timedelta(days=200) <= due < self.today
        roll = rng.random()
        reminders: list[date] = []
        extension: tuple[date, date, str] | None = None
        if stuck:
            reply = None  # still unanswered: overdue now
            first = due + timedelta(days=rng.randint(1, 10))
            reminders = [first + timedelta(days=15 * i) for i in range(rng.randint(1, 3))]
        elif roll < 0.06:
            reply = due + timedelta(days=rng.randint(1, 45))  # replied late
            first = due - timedelta(days=rng.randint(0, 7))
            n = rng.randint(1, 3)
            reminders = [first + timedelta(days=12 * i) for i in range(n)]
        elif roll < 0.12 or (complex_ and roll < 0.35):
            old_due = due
            ext_on = due - timedelta(days=rng.randint(3, 20))
            if kind == "petition":
                new_due = due + timedelta(days=30)
            else:
                new_due = deadlines.add_months(due, rng.choice([1, 2, 3]))
            extension = (weekday(ext_on, assigned), new_due, rng.choice(EXTENSION_REASONS))
            if rng.random() < 0.85:
                reply = old_due + timedelta(days=rng.randint(1, (new_due - old_due).days))
            else:
                reply = new_due + timedelta(days=rng.randint(1, 20))
                reminders = [new_due - timedelta(days=rng.randint(0, 5))]
        else:
            low = min(15, span)
            reply = assigned + timedelta(days=int(rng.triangular(low, span, span * 0.8)))
            if rng.random() < 0.1 and (reply - assigned).days > 30:
                reminders = [reply - timedelta(days=rng.randint(5, 15))]
        last = assigned
        if extension:
            ext_on, new_due, reason = extension
            ext_on = max(ext_on, last)
            self.step(ext_on, h, "extend", due=new_due, reason=reason)
            last = ext_on
        for r in reminders:
            r = weekday(max(r, last), last)
            if reply is not None and r >= reply:
                break
            self.step(r, h, "remind", note=rng.choice(REMINDER_NOTES))
            last = r
        if proc is not None and (reply is None or proc < reply):
            self.step(proc, h, "reply_procedural")
        if reply is None:
            return
        reply = weekday(max(reply, last), last)
        self.plan_reply_and_close(h, reply, late=reply > (extension[1] if extension else due))

    def plan_reply_and_close(self, h: CaseHandle, reply: date, late: bool, round_: int = 1) -> None:
        """The reply, the deputy's feedback, and a second round after a dissatisfied one."""
        rng = self.rng
        result = rng.choices("ABCD", weights=[52, 28, 13, 7])[0]
        method = rng.choices(["written", "in-person", "phone"], weights=[70, 20, 10])[0]
        summary = rng.choice(REPLY_SUMMARIES[result])
        self.step(reply, h, "reply", method=method, result=result, summary=summary)
        closed = weekday(reply + timedelta(days=rng.randint(2, 25)), reply)
        unhappy = 0.025 + (0.06 if result in "CD" else 0) + (0.05 if late else 0)
        if round_ > 1:
            weights = [55, 40, 5, 0]
        else:
            weights = [100 - 12 - unhappy * 100 - 2, 12, unhappy * 100, 2]
        satisfaction = rng.choices(["satisfied", "basic", "dissatisfied", None], weights=weights)[0]
        self.step(closed, h, "close", satisfaction=satisfaction)
        if satisfaction != "dissatisfied" or round_ > 1 or rng.random() > 0.85:
            return
        reopened = weekday(closed + timedelta(days=rng.randint(2, 12)), closed)
        self.step(reopened, h, "reopen", reason=rng.choice(REOPEN_REASONS))
        from .services import deadlines

        due = deadlines.rehandle_due(reopened, deadlines.Rules())
        if rng.random() < 0.12:
            again = due + timedelta(days=rng.randint(1, 20))
            self.step(weekday(due - timedelta(days=3), reopened), h, "remind", note="分管领导督办")
        else:
            again = reopened + timedelta(days=rng.randint(5, (due - reopened).days))
        again = weekday(again, reopened + timedelta(days=1))
        self.plan_reply_and_close(h, again, late=again > due, round_=2)

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

    # playing the plan ------------------------------------------------------------

    def staff_ref(self, name: str, dept: str) -> str:
        return str(self.staff_ids.get((name, dept), name))


LEVEL_ORDER = {level: i for i, level in enumerate(LEVEL_COUNTS)}


def next_month(d: date) -> date:
    """The first day of the month after ``d``'s."""
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


class Player:
    """Runs the planned steps in date order inside one write session."""

    def __init__(self, office: Office, session: Any, seed: int) -> None:
        from .services import case_steps, contacts, deputies, registry

        self.office = office
        self.session = session
        self.modules = {
            "cases": case_steps,
            "contacts": contacts,
            "deputies": deputies,
            "registry": registry,
        }
        self.rng = random.Random(seed + 1)
        self.day = office.start
        self.tick = 0
        self.actor = CLERKS[0]

    def clock(self) -> datetime:
        """Entries are keyed in during the working day they happened (UTC = Beijing - 8 h)."""
        self.tick += 1
        return datetime.combine(self.day, time(1, 0)) + timedelta(seconds=23 * self.tick)

    def call(self, module: str, fn: str, **kw: Any) -> dict[str, Any]:
        func = getattr(self.modules[module], fn)
        # the case steps run on the session's connection, in its transaction,
        # after what the session holds (so the events keep their order)
        if module == "cases":
            self.session.flush()
        target = self.session.connection() if module == "cases" else self.session
        result = func(target, self.actor, **kw)
        if module == "cases":
            result = result.record()
        self.office.counts[fn] = self.office.counts.get(fn, 0) + 1
        return result

    def staff_ref(self, name: str, dept: str) -> str:
        return self.office.staff_ref(name, dept)

    def add_staff(self, name: str, dept: str) -> None:
        row = self.call("registry", "add_staff", name=name, dept_ref=dept, on=self.day)
        self.office.staff_ids[(name, dept)] = row["id"]

    def add_deputy(self, p: Person) -> None:
        f = dict(p.fields)
        liaison = f.pop("liaison")
        row = self.call(
            "deputies",
            "add_deputy",
            name=p.name,
            level=p.level,
            on=self.day,
            body=p.body,
            liaison=self.staff_ref(liaison, LIAISON_OFFICE) if liaison else None,
            **f,
        )
        p.id = row["id"]

    def play(self) -> None:
        for step in sorted(self.office.steps):
            if step.on != self.day:
                self.day = step.on
                self.tick = 0
            self.actor = self.rng.choice(CLERKS)
            step.run(self)


# -- generate ---------------------------------------------------------------------------


@contextmanager
def _pinned(clock: Callable[[], datetime]) -> Iterator[None]:
    """Default deadline rules (never the user's config file) and the pinned event clock."""
    from .services.common import CLOCK
    from .store.events import CLOCK as EVENTS_CLOCK

    saved = os.environ.get("LIAISON_CONFIG")
    os.environ["LIAISON_CONFIG"] = os.devnull
    token, events_token = CLOCK.set(clock), EVENTS_CLOCK.set(clock)
    try:
        yield
    finally:
        CLOCK.reset(token)
        EVENTS_CLOCK.reset(events_token)
        if saved is None:
            os.environ.pop("LIAISON_CONFIG", None)
        else:
            os.environ["LIAISON_CONFIG"] = saved


def generate(url: str, seed: int = SEED, today: date = TODAY) -> dict[str, int]:
    """Build the sample office into the (empty) database at ``url``; return step counts."""
    from .store.database import Database

    office = Office(seed, today)
    office.plan_registry()
    office.plan_cases()
    office.plan_contacts()
    db = Database(url)
    try:
        with db.session(write=True) as session:
            player = Player(office, session, seed)
            with _pinned(player.clock):
                player.play()
    finally:
        db.dispose()
    return office.counts


def _finish_sqlite(path: Path) -> None:
    """Compact the file and leave it self-contained: no -wal beside it."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def build(out: Path, seed: int = SEED, today: date = TODAY) -> dict[str, int]:
    """Generate into a temporary file beside ``out``, then move it into place."""
    out = out.absolute()
    fd, tmp_name = tempfile.mkstemp(prefix=".sample-", suffix=".db", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        counts = generate("sqlite:///" + str(tmp), seed, today)
        _finish_sqlite(tmp)
        for suffix in ("-wal", "-shm"):
            Path(str(out) + suffix).unlink(missing_ok=True)
        os.replace(tmp, out)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return counts


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order: what "the same content" means."""
    from sqlalchemy import create_engine, select, text

    from .models import Base

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out: dict[str, list[tuple[Any, ...]]] = {}
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
            out["alembic_version"] = [
                tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
            ]
            return out
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    from .domain.dates import parse_date
    from .i18n import _

    parser = argparse.ArgumentParser(
        prog="python -m liaison_cli.sample",
        description=_("Generate the sample office database (sample.db)."),
    )
    parser.add_argument("--out", default="sample.db", help=_("SQLite file to write."))
    parser.add_argument("--seed", type=int, default=SEED, help=_("Random seed."))
    parser.add_argument(
        "--today", default=TODAY.isoformat(), help=_("The sample's today; nothing is dated after.")
    )
    args = parser.parse_args(argv)
    today = parse_date(args.today)
    counts = build(Path(args.out), args.seed, today)
    done = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(_("wrote {out}: {done}").format(out=args.out, done=done), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
