"""Benchmark: liaison at 10k, 100k (and with --full, 1M) cases.

Builds each database through `liaison import` from a seeded ledger, then times
whole processes (median and min-max of several runs, peak RSS) side by side
with the floor F (`python -c "import typer, sqlalchemy, rich.table"` in the
same interpreter), raw sqlite3 running the same queries, and Taskwarrior's
`task overdue` / `task count` on the same number of items when `task` is
installed. Prints one table with the ratios against the targets in the README's
Performance section and writes it as JSON under benchmarks/results/.

    python benchmarks/run.py                 # 10k and 100k
    python benchmarks/run.py --full          # adds 1M (several minutes)
    python benchmarks/run.py --pg URL        # the same on PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ledger import TODAY, write_ledger  # noqa: E402

AS_OF = TODAY.isoformat()
PY = sys.executable
LIAISON = [PY, "-m", "liaison_cli"]


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run_timed(cmd: list[str], env: dict | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one
    process, output discarded.

    The RSS comes from GNU time when it is installed: a child's own
    ``ru_maxrss`` starts at this (large) benchmark process's high-water mark,
    which survives fork and exec. CPU time is the figure to compare when
    other work shares the machine: it does not grow while the process waits
    for a core.
    """
    if TIME:
        report = Path(os.environ.get("TMPDIR", "/tmp")) / f"liaison-bench-{os.getpid()}.time"
        start = time.perf_counter()
        done = subprocess.run(
            [TIME, "-f", "%M %U %S", "-o", str(report), *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env or os.environ.copy(),
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()}")
        kib, user, system = report.read_text().split()[-3:]
        report.unlink()
        return wall, int(kib) // 1024, float(user) + float(system)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], runs: int, env: dict | None = None) -> dict:
    walls, rss, cpus = [], [], []
    run_timed(cmd, env)  # warm the page cache
    for _ in range(runs):
        w, m, c = run_timed(cmd, env)
        walls.append(w)
        rss.append(m)
        cpus.append(c)
    return {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "rss_mib": max(rss),
        "cpu_median": statistics.median(cpus),
    }


def measure_fn(fn, runs: int) -> dict:
    walls = []
    fn()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls)}


def build(db: str, folder: Path, n: int, pg: bool = False) -> dict:
    """The database of n cases, through the import; the import timed.

    Up to 100k cases the import of the case ledger is timed three times, each
    into a fresh database (median; SQLite only, a server database is made
    once): one run is at the mercy of whatever else the machine is doing.
    """
    files = write_ledger(folder, n)
    imports = []
    for attempt in range(3 if n <= 100_000 and not pg else 1):
        if attempt:
            Path(db).unlink()
            for extra in ("-wal", "-shm"):
                Path(db + extra).unlink(missing_ok=True)
        subprocess.run([*LIAISON, "--db", db, "init"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [*LIAISON, "--db", db, "import", "deputies", str(files["deputies"])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        imports.append(run_timed([*LIAISON, "--db", db, "import", "cases", str(files["cases"])]))
    import_s = statistics.median(s for s, _rss, _cpu in imports)
    import_rss = max(rss for _s, rss, _cpu in imports)
    subprocess.run(
        [*LIAISON, "--db", db, "import", "contacts", str(files["contacts"])],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {
        "import_seconds": import_s,
        "import_rows_per_s": n / import_s,
        "import_rss_mib": import_rss,
    }


RAW_OVERDUE = """
SELECT c.number, r.due FROM case_rounds r JOIN cases c ON c.id = r.case_id
WHERE r.superseded_on IS NULL AND r.replied_on IS NULL AND r.due < ?
ORDER BY r.due LIMIT 50"""
RAW_OVERDUE_COUNT = """
SELECT count(*) FROM case_rounds r WHERE r.superseded_on IS NULL AND r.replied_on IS NULL
AND r.due < ?"""
RAW_BY_DEPT = """
SELECT r.department_id, count(*), sum(r.closed_on IS NOT NULL), sum(r.replied_on IS NOT NULL),
sum(r.satisfaction = 'satisfied') FROM case_rounds r WHERE r.superseded_on IS NULL
GROUP BY r.department_id"""


def raw_sqlite(path: str, runs: int) -> dict:
    def overdue() -> None:
        con = sqlite3.connect(path)
        con.execute(RAW_OVERDUE_COUNT, (AS_OF,)).fetchall()
        con.execute(RAW_OVERDUE, (AS_OF,)).fetchall()
        con.close()

    def by_dept() -> None:
        con = sqlite3.connect(path)
        con.execute(RAW_BY_DEPT).fetchall()
        con.close()

    return {"overdue": measure_fn(overdue, runs), "stats_by_dept": measure_fn(by_dept, runs)}


TASK_UDAS = ("kind", "deputies", "handler", "method", "result", "satisfaction")


def _stamp(day: str) -> str:
    return day.replace("-", "") + "T000000Z"


def _tasks_from_ledger(cases_csv: Path, out: Path) -> None:
    """One Taskwarrior task per case of the ledger, carrying what the case carries.

    title -> description, department -> project, received -> entry, the due
    date liaison computes -> due, closed -> status completed with end; the
    deputies, kind, handler, reply method, result and satisfaction as UDAs;
    each recorded step (assigned, replied, closed) as an annotation, as the
    case's events are. Open cases (not closed) are pending tasks.
    """
    import csv
    from datetime import date

    from liaison_cli.services import deadlines

    rules = deadlines.rules()
    with cases_csv.open(encoding="utf-8") as fh, out.open("w", encoding="utf-8") as dst:
        dst.write("[")
        for i, row in enumerate(csv.DictReader(fh)):
            task: dict = {
                "uuid": f"00000000-0000-4000-8000-{i:012d}",
                "description": row["title"],
                "entry": _stamp(row["received"]),
                "status": "completed" if row["closed"] else "pending",
                "kind": row["kind"],
                "deputies": row["deputies"],
            }
            notes = []
            if row["assigned"]:
                due = deadlines.substantive_due(
                    row["kind"], date.fromisoformat(row["assigned"]), False, rules
                )
                task["due"] = _stamp(due.isoformat())
                task["project"] = row["department"]
                task["handler"] = row["handler"]
                notes.append((row["assigned"], f"交办 {row['department']} {row['handler']}"))
            if row["replied"]:
                task.update(method=row["reply_method"], result=row["result"])
                notes.append((row["replied"], f"答复 {row['reply_method']} {row['result']}"))
            if row["closed"]:
                task["end"] = _stamp(row["closed"])
                task["satisfaction"] = row["satisfaction"]
                notes.append((row["closed"], f"办结 {row['satisfaction']}"))
            if notes:
                task["annotations"] = [
                    {"entry": _stamp(day), "description": text} for day, text in notes
                ]
            dst.write(("" if i == 0 else ",\n") + json.dumps(task, ensure_ascii=False))
        dst.write("]")


def taskwarrior(n: int, runs: int, work: Path, cases_csv: Path) -> dict | None:
    """`task overdue` and `task count` on the same n cases, as tasks (see above)."""
    if not shutil.which("task"):
        return None
    data = work / f"taskw-{n}"
    data.mkdir(parents=True, exist_ok=True)
    rc = work / f"taskrc-{n}"
    udas = "".join(f"uda.{u}.type=string\nuda.{u}.label={u}\n" for u in TASK_UDAS)
    rc.write_text(f"data.location={data}\nverbose=nothing\nconfirmation=off\n{udas}")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))
    if not (data / "pending.data").exists():
        src = work / f"tasks-{n}.json"
        _tasks_from_ledger(cases_csv, src)
        subprocess.run(
            ["task", "rc.hooks=off", "import", str(src)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return {
        "overdue": measure(["task", "overdue"], runs, env),
        "count": measure(["task", "count"], runs, env),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also 1M cases")
    ap.add_argument("--sizes", default=None, help="comma list, e.g. 10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg", default=None, help="PostgreSQL server URL (a database we may create)")
    ap.add_argument("--work", default=str(HERE / "data"), help="where databases are kept")
    ap.add_argument("--no-task", action="store_true", help="skip Taskwarrior")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [10_000, 100_000]
    if args.full and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    runs = args.runs

    # as a pip install leaves it: the package's modules byte-compiled (an editable
    # install under PYTHONDONTWRITEBYTECODE=1 would compile them on every run,
    # about 20 ms, while the libraries in F come compiled)
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "liaison_cli")], check=True)
    floor = measure([PY, "-c", "import typer, sqlalchemy, rich.table"], runs)
    results: dict = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "engine": "postgresql" if args.pg else "sqlite",
        "floor_F": floor,
        "help": measure([*LIAISON, "--help"], runs),
        "sizes": {},
    }
    for n in sizes:
        folder = work / f"ledger-{n}"
        if args.pg:
            db = pg_database(args.pg, n)
        else:
            db = str(work / f"cases-{n}.db")
        fresh = args.pg or not Path(db).exists()
        if fresh:
            if not args.pg:
                Path(db).unlink(missing_ok=True)
            built = build(db, folder, n, pg=bool(args.pg))
            print(f"built {n:,} cases: import {built['import_rows_per_s']:,.0f} rows/s", flush=True)
        else:
            built = {}
        env = dict(os.environ, LIAISON_DB=db)
        entry = {
            **built,
            "overdue": measure([*LIAISON, "overdue", "--as-of", AS_OF], runs, env),
            "stats_by_dept": measure(
                [*LIAISON, "stats", "cases", "--by", "dept", "--as-of", AS_OF], runs, env
            ),
            # the whole ledger printed: a few runs each, they are the longest
            "cases_json": measure([*LIAISON, "--format", "json", "cases"], min(runs, 3), env),
            "export_cases": measure([*LIAISON, "export", "cases"], min(runs, 3), env),
        }
        if not args.pg:
            entry["raw_sqlite"] = raw_sqlite(db, runs)
        if not args.no_task and n <= 100_000:
            if not (folder / "cases.csv").exists():
                write_ledger(folder, n)
            entry["taskwarrior"] = taskwarrior(n, runs, work, folder / "cases.csv")
        results["sizes"][str(n)] = entry
    print_table(results)
    out = HERE / "results" / f"{results['engine']}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


def pg_database(url: str, n: int) -> str:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = f"liaison_bench_{n}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def print_table(r: dict) -> None:
    F = r["floor_F"]["median"]
    rows = [("floor F: import typer, sqlalchemy, rich.table", r["floor_F"], None, None)]
    rows.append(("liaison --help", r["help"], 0.8 * F, "<= 0.8 F"))
    for n, e in r["sizes"].items():
        n_i = int(n)
        big = n_i >= 1_000_000
        label = f"{n_i:,}"
        rows.append(
            (
                f"overdue @ {label}",
                e["overdue"],
                (1.5 if big else 1.3) * F if n_i >= 100_000 else None,
                "<= 1.5 F" if big else "<= 1.3 F",
            )
        )
        rows.append(
            (
                f"stats cases --by dept @ {label}",
                e["stats_by_dept"],
                (1.0 + F) if big else (1.6 * F if n_i >= 100_000 else None),
                "<= 1.0 s + F" if big else "<= 1.6 F",
            )
        )
        for key, what in (("cases_json", "cases --format json"), ("export_cases", "export cases")):
            if key in e:
                rows.append(
                    (
                        f"{what} (all) @ {label}",
                        e[key],
                        8.0 if big else (2 * F if n_i >= 100_000 else None),
                        "<= 8 s" if big else "<= 2 F",
                    )
                )
        if "raw_sqlite" in e:
            rows.append((f"raw sqlite3 overdue @ {label}", e["raw_sqlite"]["overdue"], None, None))
            rows.append(
                (f"raw sqlite3 by dept @ {label}", e["raw_sqlite"]["stats_by_dept"], None, None)
            )
        tw = e.get("taskwarrior")
        if tw:
            rows.append((f"task overdue @ {label}", tw["overdue"], None, None))
            rows.append((f"task count @ {label}", tw["count"], None, None))
    print(f"\nengine: {r['engine']}   F = {F:.3f} s   (medians of runs; RSS = peak MiB)\n")
    head = (
        f"{'what':44} {'median s':>9} {'min-max s':>13} {'x F':>6} {'cpu s':>6} {'RSS':>6}  target"
    )
    print(head)
    print("-" * len(head))
    for name, m, limit, text in rows:
        ratio = m["median"] / F
        verdict = ""
        if limit is not None:
            verdict = f"{text}: {'ok' if m['median'] <= limit else 'MISSED'}"
        rss = f"{m['rss_mib']:>6}" if "rss_mib" in m else " " * 6
        cpu = f"{m['cpu_median']:6.2f}" if "cpu_median" in m else " " * 6
        print(
            f"{name:44} {m['median']:9.3f} {m['min']:6.3f}-{m['max']:<6.3f} "
            f"{ratio:6.2f} {cpu} {rss}  {verdict}"
        )
    for n, e in r["sizes"].items():
        if "import_rows_per_s" in e:
            ok = "ok" if e["import_rows_per_s"] >= 20_000 or int(n) < 100_000 else "MISSED"
            print(
                f"import cases @ {int(n):,}: {e['import_rows_per_s']:,.0f} rows/s "
                f"(>= 20,000: {ok}), peak RSS {e['import_rss_mib']} MiB"
            )
        tw = e.get("taskwarrior")
        if tw:
            # the target is set at 100k; a small ledger is shown for scale
            speedup = tw["overdue"]["median"] / e["overdue"]["median"]
            verdict = f" (>= 4x: {'ok' if speedup >= 4 else 'MISSED'})" if int(n) >= 100_000 else ""
            print(f"task overdue / liaison overdue @ {int(n):,}: {speedup:.1f}x{verdict}")
    peak = max(
        [
            *(
                m["rss_mib"]
                for e in r["sizes"].values()
                for k, m in e.items()
                if isinstance(m, dict) and "rss_mib" in m
            ),
            *(e["import_rss_mib"] for e in r["sizes"].values() if "import_rss_mib" in e),
        ],
        default=0,
    )
    print(f"peak RSS of any liaison command (imports included): {peak} MiB (<= 120 MiB)")


if __name__ == "__main__":
    main()
