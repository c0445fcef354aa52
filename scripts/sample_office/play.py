"""Playing the plan through the project's services, into one self-contained SQLite file."""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import Person
from .cases import CasePlan
from .contacts import ContactPlan
from .data import CLERKS, LIAISON_OFFICE
from .registry import RegistryPlan

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TODAY = date(2026, 11, 20)
SEED = 20261120


class Office(RegistryPlan, CasePlan, ContactPlan):
    """The whole plan of the sample office: registry, cases and contacts."""


class Player:
    """Runs the planned steps in date order inside one write transaction."""

    def __init__(self, office: Office, conn: Connection, seed: int) -> None:
        from liaison_cli.services import case_steps, contacts, deputies, registry

        self.office = office
        self.conn = conn
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
        if module == "cases":
            # a case step returns its dataclass; the player keeps the row
            result = getattr(self.modules[module], fn)(self.conn, self.actor, **kw).record()
        else:
            # the registry's and contacts' steps on the caller's transaction
            result = getattr(self.modules[module], fn + "_in")(self.conn, self.actor, **kw)
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
    """Default deadline rules (never the user's config file) and the pinned event clock.

    Every event takes its time from the one clock of :mod:`liaison_cli.store.events`.
    """
    from liaison_cli.store import events

    saved = os.environ.get("LIAISON_CONFIG")
    os.environ["LIAISON_CONFIG"] = os.devnull
    token = events.CLOCK.set(clock)
    try:
        yield
    finally:
        events.CLOCK.reset(token)
        if saved is None:
            os.environ.pop("LIAISON_CONFIG", None)
        else:
            os.environ["LIAISON_CONFIG"] = saved


def generate(url: str, seed: int = SEED, today: date = TODAY) -> dict[str, int]:
    """Build the sample office into the (empty) database at ``url``; return step counts."""
    from liaison_cli.store.database import Database
    from liaison_cli.store.uow import unit_of_work

    office = Office(seed, today)
    office.plan_registry()
    office.plan_cases()
    office.plan_contacts()
    db = Database(url)
    try:
        with unit_of_work(db, write=True) as conn:
            player = Player(office, conn, seed)
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
    from sqlalchemy import column, create_engine, select, table

    from liaison_cli.store.schema import metadata

    alembic_version = table("alembic_version", column("version_num"))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out: dict[str, list[tuple[Any, ...]]] = {}
            for t in metadata.sorted_tables:
                order = list(t.primary_key.columns) or list(t.columns)
                out[t.name] = [tuple(r) for r in conn.execute(select(t).order_by(*order))]
            out["alembic_version"] = [tuple(r) for r in conn.execute(select(alembic_version))]
            return out
    finally:
        engine.dispose()
