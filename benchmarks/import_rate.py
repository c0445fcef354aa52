"""Import rate of ``liaison import cases`` on a seeded ledger with history.

    python benchmarks/import_rate.py [--rows 100000] [--db URL] [--keep DIR]

Writes a registry of deputies and a case ledger (台账) CSV in which most
cases carry their history (assignment, reply, close, satisfaction) and some
carry an official number, imports the deputies, then times
``liaison import cases`` as a whole process (start-up included) into a fresh
SQLite file (or the PostgreSQL database given by ``--db``, which must be
empty) and prints rows per second. The target is 20,000 rows per second for
100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SEED = 20261122
TODAY = date(2026, 11, 22)
TARGET = 20_000
KINDS = ["suggestion"] * 10 + ["motion", "proposal", "proposal", "letter", "concern", "petition"]
DEPARTMENTS = [f"第{n}检察部" for n in "一二三四五六七八"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯健俊"
TOPICS = ["加强未成年人司法保护", "推进公益诉讼", "优化营商环境", "保护生态环境", "完善司法救助"]


def write_files(folder: Path, rows: int, rng: random.Random) -> tuple[Path, Path]:
    deputies_csv, cases_csv = folder / "deputies.csv", folder / "cases.csv"
    names: list[str] = []
    with deputies_csv.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "类别", "级别", "届次", "工作单位"])
        while len(names) < 500:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            if name in names:
                continue
            names.append(name)
            level = rng.choice(["全国", "省", "市", "县", "乡镇"])
            w.writerow([name, rng.choice(["人大代表"] * 4 + ["政协委员"]), level, 14, "某单位"])
    handlers = {d: [f"{d[:2]}承办人{i}" for i in range(1, 4)] for d in DEPARTMENTS}
    with cases_csv.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["编号", "类型", "标题", "代表", "收到日期", "交办日期", "承办部门", "承办人",
             "答复日期", "答复方式", "办理结果", "办结日期", "满意度"]
        )  # fmt: skip
        for i in range(rows):
            received = TODAY - timedelta(days=rng.randrange(0, 1460))
            kind = rng.choice(KINDS)
            number = f"官{received.year}-{i:06d}" if rng.random() < 0.3 else ""
            people = "、".join(rng.sample(names, 1 if rng.random() < 0.8 else 3))
            row = [number, kind, f"关于{rng.choice(TOPICS)}的建议", people, received.isoformat()]
            assigned = received + timedelta(days=rng.randrange(0, 8))
            if assigned > TODAY or rng.random() < 0.02:
                w.writerow(row + [""] * 8)
                continue
            dept = rng.choice(DEPARTMENTS)
            row += [assigned.isoformat(), dept, rng.choice(handlers[dept])]
            replied = assigned + timedelta(days=rng.randrange(10, 110))
            if replied > TODAY or rng.random() < 0.03:
                w.writerow(row + [""] * 5)
                continue
            row += [replied.isoformat(), rng.choice(["书面", "当面", "电话"])]
            row.append(rng.choices("ABCD", weights=[55, 25, 12, 8])[0])
            closed = replied + timedelta(days=rng.randrange(1, 30))
            if closed > TODAY:
                w.writerow(row + ["", ""])
                continue
            sat = rng.choices(["满意", "基本满意", "不满意"], weights=[85, 12, 3])[0]
            w.writerow(row + [closed.isoformat(), sat])
    return deputies_csv, cases_csv


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def liaison(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "liaison_cli", "--db", db, "--lang", "en", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--db", help="an empty PostgreSQL database URL (default: a fresh SQLite file)")
    ap.add_argument("--keep", type=Path, help="write the files and the database here and keep them")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        deputies_csv, cases_csv = write_files(folder, args.rows, random.Random(SEED))
        print(f"wrote {args.rows:,}-row ledger in {time.perf_counter() - t:.1f} s: {cases_csv}")
        db = args.db or str(folder / "import-rate.db")
        if not args.db:
            Path(db).unlink(missing_ok=True)
        liaison(db, "init")
        liaison(db, "import", "deputies", str(deputies_csv))
        cpu0 = _children_cpu()
        t = time.perf_counter()
        done = liaison(db, "import", "cases", str(cases_csv))
        seconds = time.perf_counter() - t
        cpu = _children_cpu() - cpu0
        print(done.stdout.strip())
        rate = args.rows / seconds
        engine = "PostgreSQL" if args.db else "SQLite"
        verdict = "meets" if rate >= TARGET else "MISSES"
        print(
            f"liaison import cases: {args.rows:,} rows in {seconds:.2f} s on {engine} = "
            f"{rate:,.0f} rows/s ({verdict} the {TARGET:,} rows/s target; start-up included)"
        )
        # On a shared machine the wall time includes waiting for a core; the
        # process's own CPU time (user + system) says what the import costs.
        print(
            f"CPU time of the import process: {cpu:.2f} s = {args.rows / cpu:,.0f} rows per "
            f"CPU-second; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        # the largest of the child processes (init, import deputies, import cases):
        # the case import is by far the biggest of them
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the import process: {peak:.0f} MiB (budget 120 MiB)")


if __name__ == "__main__":
    main()
