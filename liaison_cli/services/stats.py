"""The figures an office reports: case rates and contact counts for a period.

Every table is one SQL statement (``GROUP BY`` with ``SUM(CASE …)``), and the
total row adds up the groups' counts: nothing loops over cases in Python, so
a million cases cost one scan. Only the division of the aggregated counts
into percentages happens here, which keeps integer division and boolean
quirks of SQLite and PostgreSQL out of the picture.

Case figures are taken "as the ledger stood" on the as-of date: each case
counts once, in its handling round that was current then; a reply, close,
result, feedback, assignment or extension dated after that day counts as not
having happened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from ..domain.vocab import CONTACT_TYPES, KINDS, LEVELS
from ..errors import InvalidValue
from ..i18n import N_, _
from ..store import schema as t
from .case_queries import due_as_of, round_as_of
from .common import month_of

CASE_GROUPINGS = ("none", "dept", "handler", "kind", "level", "month")
CONTACT_GROUPINGS = ("none", "level", "type", "month", "staff")
TOTAL = "total"

COUNT_KEYS = (
    "received",
    "replied",
    "closed",
    "overdue",
    "satisfied",
    "basic",
    "dissatisfied",
    "result_a",
    "result_b",
    "result_c",
    "result_d",
)
RATE_KEYS = (
    "completion_rate",
    "reply_rate",
    "on_time_rate",
    "satisfaction_rate",
    "strict_satisfaction_rate",
    "solve_rate",
    "resolution_rate",
)
CASE_KEYS = ("group", *COUNT_KEYS, *RATE_KEYS)
CONTACT_KEYS = ("group", "activities", "person_times", "deputies_reached", "coverage")


class _Translated(Mapping[str, str]):
    """A mapping whose values are translated when read, in the current language."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return _(self._texts[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


# Each rate's definition, printed under the table (table and plain formats).
RATE_DEFINITIONS: Mapping[str, str] = _Translated(
    {
        "completion_rate": N_("completion rate 办结率 = closed ÷ received"),
        "reply_rate": N_("reply rate 答复率 = replied (closed included) ÷ received"),
        "on_time_rate": N_(
            "on-time rate 按期答复率 = replied on or before the due date in force "
            "(extensions counted) ÷ replied"
        ),
        "satisfaction_rate": N_(
            "satisfaction rate 满意率 = (satisfied + basically satisfied) ÷ cases with feedback"
        ),
        "strict_satisfaction_rate": N_(
            "strict satisfaction rate 满意占比 = satisfied ÷ cases with feedback"
        ),
        "solve_rate": N_("solve rate 解决率 = (A + B) ÷ cases with a result class"),
        "resolution_rate": N_("resolution rate 化解率 = A ÷ received"),
    }
)

# The other figures of the case table that need a word of explanation.
COUNT_DEFINITIONS: Mapping[str, str] = _Translated(
    {
        "overdue": N_("overdue = not replied and due before the as-of date"),
        "as_of": N_(
            "each case counts once, in its latest handling round as of the as-of date; "
            "steps dated after it are ignored"
        ),
    }
)

CONTACT_DEFINITIONS: Mapping[str, str] = _Translated(
    {
        "activities": N_(
            "activities 次 = contacts of any type (for bulletins: issues 期; messages: 条)"
        ),
        "person_times": N_(
            "person-times 人次 = one per deputy per contact (for bulletins: copies 份)"
        ),
        "deputies_reached": N_("deputies reached = distinct deputies in at least one contact"),
        "coverage": N_(
            "coverage 覆盖率 = deputies reached ÷ deputies on the registry "
            "(of that level when grouped by level)"
        ),
    }
)


def rate_definitions() -> list[str]:
    """The translated definition of every rate, in the order of the columns."""
    return [RATE_DEFINITIONS[k] for k in RATE_KEYS]


def case_notes() -> list[str]:
    """Lines printed under a case stats table: the rates, then the counts."""
    return [*rate_definitions(), *COUNT_DEFINITIONS.values()]


def contact_notes() -> list[str]:
    return list(CONTACT_DEFINITIONS.values())


# -- the period --------------------------------------------------------------------


def resolve_period(
    year: int | None, date_from: date | None, date_to: date | None
) -> tuple[date | None, date | None]:
    """``--year`` or ``--from``/``--to`` as one inclusive range (either end open)."""
    if year is not None:
        if date_from is not None or date_to is not None:
            raise InvalidValue(_("give either --year or --from/--to, not both"))
        if not 1 <= year <= 9999:
            raise InvalidValue(_("year {year} is out of range").format(year=year))
        return date(year, 1, 1), date(year, 12, 31)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidValue(
            _("--from {start} is after --to {end}").format(start=date_from, end=date_to)
        )
    return date_from, date_to


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a percentage rounded half-up to 2 decimals.

    None when the denominator is 0: a rate over nothing is unknown, not 0%.
    Decimal rounding so that 20/21 gives 95.24 and 86/93 gives 92.47 exactly
    as a person computing by hand would.
    """
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


# -- cases -------------------------------------------------------------------------

C = t.cases.c
R = t.case_rounds.c
_lead_link = t.case_deputies.alias("lead_link")
_lead = t.deputies.alias("lead")


def _flag(condition: Any) -> Any:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``, 0 on an empty set."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class _RoundTests:
    """The as-of tests of one round, shared by both shapes of the case query."""

    def __init__(self, as_of: date) -> None:
        self.replied = R.replied_on <= as_of
        self.closed = R.closed_on <= as_of
        not_replied = or_(R.replied_on.is_(None), R.replied_on > as_of)
        self.on_time = and_(self.replied, or_(R.due.is_(None), R.replied_on <= R.due))
        self.overdue = and_(R.assigned_on <= as_of, not_replied, due_as_of(as_of) < as_of)


def _case_aggregates(as_of: date) -> list[Any]:
    """The counts of one table row, as SQL aggregates over case ⋈ round."""
    r = R
    x = _RoundTests(as_of)
    return [
        func.count().label("received"),
        _flag(x.replied).label("replied"),
        _flag(x.closed).label("closed"),
        _flag(x.overdue).label("overdue"),
        _flag(and_(x.closed, r.satisfaction == "satisfied")).label("satisfied"),
        _flag(and_(x.closed, r.satisfaction == "basic")).label("basic"),
        _flag(and_(x.closed, r.satisfaction == "dissatisfied")).label("dissatisfied"),
        _flag(and_(x.replied, r.result == "A")).label("result_a"),
        _flag(and_(x.replied, r.result == "B")).label("result_b"),
        _flag(and_(x.replied, r.result == "C")).label("result_c"),
        _flag(and_(x.replied, r.result == "D")).label("result_d"),
        _flag(x.on_time).label("on_time"),
    ]


# The leading columns of the index ``ix_case_rounds_stats_groups``, in its order.
_STREAMED_KEYS = (R.department_id, R.handler_id, R.satisfaction, R.result)


def _streamed_case_counts(as_of: date, by: str) -> Any:
    """The case table of all cases (by none, dept or handler) in two small aggregates.

    The inner one groups the rounds in force by department, handler,
    satisfaction and result: the leading columns of the index
    ``ix_case_rounds_stats_groups``, which holds every column read here, so
    SQLite reads the groups off the index in order without sorting a row,
    and counts only the four tests that do not depend on satisfaction or
    result. The outer one adds up those few hundred groups: a case is
    "satisfied" when it is closed by ``as_of`` and its satisfaction is
    'satisfied', so summing the closed counts of the 'satisfied' groups gives
    exactly that count; likewise for the other satisfactions and the results.
    """
    x = _RoundTests(as_of)
    inner = (
        select(
            *_STREAMED_KEYS,
            func.count().label("received"),
            _flag(x.replied).label("replied"),
            _flag(x.closed).label("closed"),
            _flag(x.overdue).label("overdue"),
            _flag(x.on_time).label("on_time"),
        )
        .where(round_as_of(as_of))
        .group_by(*_STREAMED_KEYS)
        .subquery("round_groups")
    )
    g = inner.c

    def sum_if(column: Any, value: str, count: Any) -> Any:
        """The sum of ``count`` over the groups whose ``column`` is ``value``."""
        return func.sum(case((column == value, count), else_=0))

    counts = [
        func.sum(g.received).label("received"),
        func.sum(g.replied).label("replied"),
        func.sum(g.closed).label("closed"),
        func.sum(g.overdue).label("overdue"),
        sum_if(g.satisfaction, "satisfied", g.closed).label("satisfied"),
        sum_if(g.satisfaction, "basic", g.closed).label("basic"),
        sum_if(g.satisfaction, "dissatisfied", g.closed).label("dissatisfied"),
        sum_if(g.result, "A", g.replied).label("result_a"),
        sum_if(g.result, "B", g.replied).label("result_b"),
        sum_if(g.result, "C", g.replied).label("result_c"),
        sum_if(g.result, "D", g.replied).label("result_d"),
        func.sum(g.on_time).label("on_time"),
    ]
    if by == "none":
        return select(*counts)
    key = g.department_id if by == "dept" else g.handler_id
    return select(key.label("k0"), *counts).group_by(key)


def _case_join(columns: list[Any], as_of: date, start: date | None, end: date | None) -> Any:
    """The rounds in force on ``as_of`` of the cases received in the period, with their case.

    A round in force on ``as_of`` started by then, and so was its case
    received by then (round 1 starts on receipt), so ``received <= as_of``
    needs no test of its own. The rounds are read through
    ``ix_case_rounds_stats_cases``, which leads with ``case_id`` and holds
    every column aggregated: the cases are then looked up in the order they
    are stored (for a period, each case in it finds its round with one index
    search), not at random as a scan in department order would.
    """
    stmt = (
        select(*columns)
        .select_from(t.cases)
        .join(t.case_rounds, and_(R.case_id == C.id, round_as_of(as_of)))
    )
    if start is not None:
        stmt = stmt.where(C.received >= start)
    if end is not None:
        stmt = stmt.where(C.received <= end)
    return stmt


def _case_statement(as_of: date, start: date | None, end: date | None, by: str) -> Any:
    """The one statement of a case table: column ``k0`` the group, then the counts.

    Departments and handlers are grouped by their id, straight off the
    rounds' index, and named afterwards from their small tables: joining the
    names in first would sort every case by a string. With a case's own
    column or a period in play, the groups are sorted whatever the index,
    and one aggregate over the join is quicker than two.
    """
    if start is None and end is None and by in ("none", "dept", "handler"):
        return _streamed_case_counts(as_of, by)
    aggregates = _case_aggregates(as_of)
    if by == "none":
        return _case_join(aggregates, as_of, start, end)
    key: Any
    if by == "dept":
        key = R.department_id
    elif by == "handler":
        key = R.handler_id
    elif by == "kind":
        key = C.kind
    elif by == "level":
        key = _lead.c.level
    else:  # month
        key = month_of(C.received)
    stmt = _case_join([key.label("k0"), *aggregates], as_of, start, end)
    if by == "level":
        stmt = stmt.outerjoin(
            _lead_link, and_(_lead_link.c.case_id == C.id, _lead_link.c.position == 0)
        ).outerjoin(_lead, _lead.c.id == _lead_link.c.deputy_id)
    return stmt.group_by(key)


def _case_rates(c: Mapping[str, int]) -> dict[str, float | None]:
    feedback = c["satisfied"] + c["basic"] + c["dissatisfied"]
    classified = c["result_a"] + c["result_b"] + c["result_c"] + c["result_d"]
    return {
        "completion_rate": percent(c["closed"], c["received"]),
        "reply_rate": percent(c["replied"], c["received"]),
        "on_time_rate": percent(c["on_time"], c["replied"]),
        "satisfaction_rate": percent(c["satisfied"] + c["basic"], feedback),
        "strict_satisfaction_rate": percent(c["satisfied"], feedback),
        "solve_rate": percent(c["result_a"] + c["result_b"], classified),
        "resolution_rate": percent(c["result_a"], c["received"]),
    }


def _case_row(group: Any, counts: Mapping[str, Any]) -> dict[str, Any]:
    c = {k: int(counts[k] or 0) for k in (*COUNT_KEYS, "on_time")}
    row: dict[str, Any] = {"group": group}
    row.update({k: c[k] for k in COUNT_KEYS})
    row.update(_case_rates(c))
    return row


def _disambiguate(rows: list[tuple[Any, ...]]) -> dict[Any, str]:
    """Names of (id, name) groups; a name two staff members share gets its id."""
    seen: dict[str, int] = {}
    for _id, name in rows:
        seen[name] = seen.get(name, 0) + 1
    return {_id: (name if seen[name] == 1 else f"{name} (#{_id})") for _id, name in rows}


def _order_key(by: str, group: Any) -> tuple[int, Any]:
    """Groups in a reader's order: vocabulary order, months ascending, NULL last."""
    if group is None:
        return (2, "")
    if by == "kind":
        return (0, KINDS.codes.index(group) if group in KINDS.codes else 99)
    if by == "level":
        return (0, LEVELS.codes.index(group) if group in LEVELS.codes else 99)
    if by == "type":
        return (0, CONTACT_TYPES.codes.index(group) if group in CONTACT_TYPES.codes else 99)
    return (0, str(group))


def case_stats(
    conn: Any,
    *,
    date_from: date | None,
    date_to: date | None,
    as_of: date,
    by: str,
) -> list[dict[str, Any]]:
    """Counts and rates of the cases received in the period, as of ``as_of``.

    One row per group (``by`` = none, dept, handler, kind, level or month),
    then the row ``total``. Keys: :data:`CASE_KEYS`; rates are percentages
    with 2 decimals, or None when their denominator is 0. Every count is a
    sum, so the total row adds up the groups' counts: one scan, not two.
    """
    if by not in CASE_GROUPINGS:
        raise InvalidValue(
            _("cannot group cases by {by!r}; choose from: {choices}").format(
                by=by, choices=", ".join(CASE_GROUPINGS)
            )
        )
    start, end = resolve_period(None, date_from, date_to)
    stmt = _case_statement(as_of, start, end, by)
    if by == "none":
        return [_case_row(TOTAL, conn.execute(stmt).mappings().one())]
    result = conn.execute(stmt).mappings().all()

    if by in ("dept", "handler"):
        table = t.departments if by == "dept" else t.staff
        ids = [m["k0"] for m in result if m["k0"] is not None]
        named = conn.execute(select(table.c.id, table.c.name).where(table.c.id.in_(ids))).all()
        names = _disambiguate([tuple(r) for r in named]) if by == "handler" else dict(named)
        groups = [names.get(m["k0"]) if m["k0"] is not None else None for m in result]
    else:
        groups = [m["k0"] for m in result]
    rows = [_case_row(g, m) for g, m in zip(groups, result, strict=True)]
    rows.sort(key=lambda row: _order_key(by, row["group"]))
    summed = {k: sum(int(m[k] or 0) for m in result) for k in (*COUNT_KEYS, "on_time")}
    return [*rows, _case_row(TOTAL, summed)]


# -- contacts ------------------------------------------------------------------------

K = t.contacts.c
KD = t.contact_deputies.c
_contact_staff = t.staff.alias("contact_staff")


def _registry_counts(conn: Any) -> tuple[int, dict[str, int]]:
    """Deputies on the registry: in all, and per level (the coverage denominators)."""
    per_level = {
        level: int(n)
        for level, n in conn.execute(
            select(t.deputies.c.level, func.count()).group_by(t.deputies.c.level)
        ).all()
    }
    return sum(per_level.values()), per_level


def _contact_aggregates() -> list[Any]:
    return [
        func.count(K.id.distinct()).label("activities"),
        func.count(KD.deputy_id).label("person_times"),
        func.count(KD.deputy_id.distinct()).label("deputies_reached"),
    ]


def _contact_period(stmt: Any, start: date | None, end: date | None) -> Any:
    if start is not None:
        stmt = stmt.where(K.held_on >= start)
    if end is not None:
        stmt = stmt.where(K.held_on <= end)
    return stmt


def _contact_row(group: Any, counts: Mapping[str, Any], registry: int) -> dict[str, Any]:
    reached = int(counts["deputies_reached"] or 0)
    return {
        "group": group,
        "activities": int(counts["activities"] or 0),
        "person_times": int(counts["person_times"] or 0),
        "deputies_reached": reached,
        "coverage": percent(reached, registry),
    }


def contact_stats(
    conn: Any,
    *,
    date_from: date | None,
    date_to: date | None,
    by: str,
) -> list[dict[str, Any]]:
    """Activities, person-times, deputies reached and coverage of the contacts.

    One row per group (``by`` = none, level, type, month or staff), then the
    row ``total``. Grouped by level, a contact with deputies of two levels is
    one activity in each; the total still counts it once.
    """
    if by not in CONTACT_GROUPINGS:
        raise InvalidValue(
            _("cannot group contacts by {by!r}; choose from: {choices}").format(
                by=by, choices=", ".join(CONTACT_GROUPINGS)
            )
        )
    start, end = resolve_period(None, date_from, date_to)
    registry, per_level = _registry_counts(conn)
    base = select(*_contact_aggregates()).select_from(t.contacts)
    base = base.outerjoin(t.contact_deputies, KD.contact_id == K.id)
    total = conn.execute(_contact_period(base, start, end)).mappings().one()
    total_row = _contact_row(TOTAL, total, registry)
    if by == "none":
        return [total_row]

    keys: list[Any]
    if by == "level":
        keys = [t.deputies.c.level]
    elif by == "type":
        keys = [K.type]
    elif by == "month":
        keys = [month_of(K.held_on)]
    else:  # staff
        keys = [_contact_staff.c.id, _contact_staff.c.name]
    labelled = [k.label(f"k{i}") for i, k in enumerate(keys)]
    stmt = select(*labelled, *_contact_aggregates()).select_from(t.contacts)
    if by == "level":
        stmt = stmt.join(t.contact_deputies, KD.contact_id == K.id).join(
            t.deputies, t.deputies.c.id == KD.deputy_id
        )
    else:
        stmt = stmt.outerjoin(t.contact_deputies, KD.contact_id == K.id)
    if by == "staff":
        stmt = stmt.outerjoin(_contact_staff, _contact_staff.c.id == K.staff_id)
    stmt = _contact_period(stmt, start, end).group_by(*labelled)
    result = conn.execute(stmt).mappings().all()

    if by == "staff":
        names = _disambiguate([(m["k0"], m["k1"]) for m in result if m["k0"] is not None])
        groups = [names.get(m["k0"]) if m["k0"] is not None else None for m in result]
    else:
        groups = [m["k0"] for m in result]
    rows = [
        _contact_row(g, m, per_level.get(g, 0) if by == "level" else registry)
        for g, m in zip(groups, result, strict=True)
    ]
    rows.sort(key=lambda row: _order_key(by, row["group"]))
    return [*rows, total_row]
