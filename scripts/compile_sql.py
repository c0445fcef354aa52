"""Write ``liaison_cli/store/overdue_sql.py``: the overdue report's statements
(and the case listing's) compiled for SQLite, so that ``liaison overdue`` and
``liaison cases`` can run them on a SQLite file without importing SQLAlchemy
(see ``liaison_cli/store/overdue_sqlite.py`` and ``listing_sqlite.py``).

    python scripts/compile_sql.py           # rewrite the module
    python scripts/compile_sql.py --check   # exit 1 if it is out of date

The statements come from ``case_queries.overdue_statements`` and
``case_queries.deputies_of_json``, the functions the SQLAlchemy path runs, with
the dates, horizon and ids as named parameters; every other value they bind
(words, numbers) is kept beside the SQL. ``tests/test_fast_overdue.py`` fails
when the module differs from what this script writes.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "liaison_cli" / "store" / "overdue_sql.py"
RUNTIME = (
    "as_of",
    "date_from",
    "date_to",
    "horizon",
    "ids",
    "dept_id",
    "name",
    "ident",
)  # the parameters the fast path binds itself


def _compiled(stmt) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    from sqlalchemy.dialects import sqlite

    compiled = stmt.compile(
        dialect=sqlite.dialect(paramstyle="named"),
        compile_kwargs={"render_postcompile": True},
    )
    constants = {k: v for k, v in compiled.params.items() if k not in RUNTIME}
    return str(compiled), constants


def render() -> str:
    """The module's text, from the statements the code builds now."""
    from sqlalchemy import Date, Integer, String, bindparam

    from liaison_cli.store import schema as t
    from liaison_cli.store.case_queries import (
        CASE_KEYS,
        department_by_id,
        department_by_name,
        deputies_of_json,
        listing,
        overdue_statements,
    )
    from liaison_cli.store.database import HEAD_REVISION

    # values only so that the statement compiles; the fast path binds its own
    as_of = bindparam("as_of", date(2000, 1, 1), type_=Date)
    horizon = bindparam("horizon", date(2000, 1, 1), type_=Date)
    lines = [
        '"""The overdue report\'s and the case listing\'s statements, compiled for SQLite.',
        "",
        "Written by scripts/compile_sql.py from store/case_queries.py: do not edit.",
        '"""',
        "",
        "# the schema revision these statements were compiled against",
        f"REVISION = {HEAD_REVISION!r}",
        "",
        "# a statement: (sql, constant parameters)",
        "Statement = tuple[str, dict[str, object]]",
        "",
        "# the statements of the report; the key: (--within given, --dept given)",
        "OVERDUE: dict[tuple[bool, bool], tuple[Statement, ...]] = {",
    ]
    dept_id = bindparam("dept_id", 0, type_=Integer)
    for within in (False, True):
        for by_dept in (False, True):
            lines.append(f"    ({within}, {by_dept}): (")
            for stmt in overdue_statements(
                as_of, horizon, within=within, dept_id=dept_id if by_dept else None
            ):
                sql, constants = _compiled(stmt)
                lines.append(f"        ({sql!r}, {constants!r}),")
            lines.append("    ),")
    lines.append("}")
    sql, constants = _compiled(deputies_of_json(bindparam("ids", "[]")))
    lines += ["", f"DEPUTIES: Statement = ({sql!r}, {constants!r})"]
    sql, constants = _compiled(department_by_name(bindparam("name", "", type_=String)))
    lines += [
        "",
        "# the department --dept names: by name, else by id",
        f"DEPARTMENT_BY_NAME: Statement = ({sql!r}, {constants!r})",
    ]
    sql, constants = _compiled(department_by_id(bindparam("ident", 0, type_=Integer)))
    lines += [f"DEPARTMENT_BY_ID: Statement = ({sql!r}, {constants!r})"]
    # the case listing of a period (every case: the widest period)
    received = t.cases.c.received
    period = (
        received >= bindparam("date_from", date(2000, 1, 1), type_=Date),
        received <= bindparam("date_to", date(2000, 1, 1), type_=Date),
    )
    sql, constants = _compiled(listing(*period))
    lines += [
        "",
        "# ``liaison cases`` of a period, without other filters (store/listing_sqlite.py)",
        f"LISTING: Statement = ({sql!r}, {constants!r})",
        "# the keys of its rows, in the order of its columns",
        f"LISTING_KEYS = {CASE_KEYS!r}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} is out of date: run python scripts/compile_sql.py")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
