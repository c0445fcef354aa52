"""Rebuild ``sample.db``, the sample office: ``python scripts/make_sample.py``.

The office is generated from a fixed seed and a fixed today through the
project's own services (see :mod:`sample_office`), so a rebuilt file has the
same content as the committed one unless a service or a migration changed
what a step writes; ``tests/test_sample.py`` compares them table by table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sample_office import SEED, TODAY, build

from liaison_cli.domain.dates import parse_date


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/make_sample.py",
        description="Generate the sample office database (sample.db).",
    )
    parser.add_argument("--out", default="sample.db", help="SQLite file to write.")
    parser.add_argument("--seed", type=int, default=SEED, help="Random seed.")
    parser.add_argument(
        "--today", default=TODAY.isoformat(), help="The sample's today; nothing is dated after."
    )
    args = parser.parse_args(argv)
    today = parse_date(args.today)
    counts = build(Path(args.out), args.seed, today)
    done = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"wrote {args.out}: {done}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
