"""The cases' part of the plan: receipt, assignment, reminders, extensions, replies, feedback."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from liaison_cli.services import deadlines

from .base import CaseHandle, Plan, weekday
from .data import (
    ADMIN,
    CIVIL,
    DEPARTMENTS,
    EXTENSION_REASONS,
    LETTER_ISSUES,
    PETITIONS,
    REMINDER_NOTES,
    REOPEN_REASONS,
    REPLY_SUMMARIES,
    TOPIC_WEIGHTS,
    TOPICS,
)


class CasePlan(Plan):
    """Adds three years of cases, each handled the way a real office handles its cases."""

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
        due = deadlines.rehandle_due(reopened, deadlines.Rules())
        if rng.random() < 0.12:
            again = due + timedelta(days=rng.randint(1, 20))
            self.step(weekday(due - timedelta(days=3), reopened), h, "remind", note="分管领导督办")
        else:
            again = reopened + timedelta(days=rng.randint(5, (due - reopened).days))
        again = weekday(again, reopened + timedelta(days=1))
        self.plan_reply_and_close(h, again, late=again > due, round_=2)
