"""Seeded ledgers (台账) of any size, written as the CSV files `liaison import` reads.

The benchmark builds its databases through the product's own import, so the
numbers include the path an office really takes, and the data has the shape
of a real office: mostly suggestions, most cases replied and closed, a few
percent still open and some of those overdue, contacts of every type.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 20)
LEVELS = ["national", "provincial", "municipal", "county", "township"]
KINDS = ["suggestion"] * 12 + ["motion", "proposal", "proposal", "letter", "concern", "petition"]
DEPARTMENTS = [
    "第一检察部",
    "第二检察部",
    "第三检察部",
    "第四检察部",
    "第五检察部",
    "第六检察部",
    "第七检察部",
    "第八检察部",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞"
    "斌宇浩凯健俊帆帅旭宁龙林欢佳慧晶婷雪琳颖倩"
)
TOPICS = [
    "加强未成年人司法保护",
    "推进公益诉讼检察工作",
    "优化营商环境",
    "加大生态环境保护力度",
    "规范涉企案件办理",
    "完善司法救助制度",
    "深化检务公开",
    "防范电信网络诈骗",
    "保障农民工工资支付",
    "加强食品药品安全监管",
]
CONTACT_TYPES = [
    "visit",
    "symposium",
    "trial",
    "inspection",
    "open-day",
    "hearing",
    "briefing",
    "bulletin",
    "message",
    "phone",
    "other",
]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def write_deputies(path: Path, count: int, rng: random.Random) -> list[str]:
    """Deputies with unique names (a ledger refers to them by name)."""
    names: list[str] = []
    seen: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "body", "level", "term", "unit", "phone"])
        while len(names) < count:
            n = _name(rng) + (str(len(names)) if len(seen) > 2000 else "")
            if n in seen:
                continue
            seen.add(n)
            names.append(n)
            w.writerow(
                [
                    n,
                    "cppcc" if rng.random() < 0.2 else "npc",
                    rng.choice(LEVELS),
                    14,
                    f"某某单位{rng.randrange(1, 999)}",
                    f"139{rng.randrange(10**7, 10**8)}",
                ]
            )
    return names


def write_cases(path: Path, count: int, deputies: list[str], rng: random.Random) -> None:
    """``count`` cases over the last years, each with its history so far."""
    span = max(365, min(3650, count // 30))  # big ledgers cover more years
    handlers = {d: [f"{d[:2]}承办人{i}" for i in range(1, 4)] for d in DEPARTMENTS}
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "kind",
                "title",
                "deputies",
                "received",
                "assigned",
                "department",
                "handler",
                "replied",
                "reply_method",
                "result",
                "closed",
                "satisfaction",
            ]
        )
        for _ in range(count):
            received = TODAY - timedelta(days=rng.randrange(0, span))
            kind = rng.choice(KINDS)
            people = "；".join(rng.sample(deputies, 1 if rng.random() < 0.8 else 3))
            dept = rng.choice(DEPARTMENTS)
            row = [kind, f"关于{rng.choice(TOPICS)}的{kind}", people, received.isoformat()]
            assigned = received + timedelta(days=rng.randrange(0, 8))
            # a case waits for assignment a few days; an old one rarely
            if assigned > TODAY or rng.random() < 0.0005:
                w.writerow(row + [""] * 8)
                continue
            row += [assigned.isoformat(), dept, rng.choice(handlers[dept])]
            replied = assigned + timedelta(days=rng.randrange(15, 110))
            # open cases are mostly recent; a few old stragglers stay overdue
            if replied > TODAY or rng.random() < 0.001:
                w.writerow(row + [""] * 5)
                continue
            row += [replied.isoformat(), rng.choice(["written", "in-person", "phone"])]
            row.append(rng.choices("ABCD", weights=[55, 25, 12, 8])[0])
            closed = replied + timedelta(days=rng.randrange(1, 30))
            if closed > TODAY:
                w.writerow(row + ["", ""])
                continue
            sat = rng.choices(["satisfied", "basic", "dissatisfied"], weights=[85, 12, 3])[0]
            w.writerow(row + [closed.isoformat(), sat])


def write_contacts(path: Path, count: int, deputies: list[str], rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "type", "deputies", "staff", "summary"])
        for _ in range(count):
            day = TODAY - timedelta(days=rng.randrange(0, 1095))
            many = rng.random() < 0.2
            people = "；".join(rng.sample(deputies, rng.randrange(2, 12) if many else 1))
            w.writerow([day.isoformat(), rng.choice(CONTACT_TYPES), people, "", "联络"])


def write_ledger(folder: Path, cases: int, seed: int = 2026) -> dict[str, Path]:
    """Deputies, cases and contacts CSVs for a ledger of ``cases`` cases."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    files = {k: folder / f"{k}.csv" for k in ("deputies", "cases", "contacts")}
    names = write_deputies(files["deputies"], min(3000, max(300, cases // 100)), rng)
    write_cases(files["cases"], cases, names, rng)
    write_contacts(files["contacts"], max(1000, cases // 10), names, rng)
    return files
