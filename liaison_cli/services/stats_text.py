"""The definitions printed under the stats tables, translated when they are read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..i18n import N_, _


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
        "overdue": N_(
            "overdue = not replied and due before the as-of date, or before the end of "
            "the period when it ended earlier"
        ),
        "no_feedback": N_(
            "no feedback = closed without a satisfaction: outside the satisfaction rates"
        ),
        "no_result": N_("no result = replied without a result class: outside the solve rate"),
        "late_extensions": N_(
            "late extensions = deadline extended after it had passed (--late); "
            "the days it was overdue stay overdue"
        ),
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
