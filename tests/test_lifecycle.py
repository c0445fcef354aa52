"""The case lifecycle on its own: the transition table and the steps, no database.

The rules are the README's: "A case from registration to close" (the order of
the steps, a reopening after a dissatisfied close, the procedural reply of a
letter, a step not allowed says why) and "Deadline rules" (the periods).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from liaison_cli.domain import lifecycle as lc
from liaison_cli.domain.deadlines import Rules
from liaison_cli.domain.lifecycle import STATUSES, Action, CaseState, Status
from liaison_cli.errors import IllegalTransition, InvalidValue

RULES = Rules()


def registered(kind: str = "suggestion", received: date = date(2026, 3, 2)) -> CaseState:
    return lc.register(
        number="2026-0282",
        kind=kind,
        title="t",
        received=received,
        deputies=["林晓", "张伟"],
        key=True,
        rules=RULES,
    ).state


def assigned(kind: str = "suggestion") -> CaseState:
    return lc.assign(
        registered(kind),
        on=date(2026, 3, 5),
        department="控告申诉检察部",
        handler="沈红",
        co_departments=["法律政策研究室"],
        lead_is_co=False,
        due=None,
        complex_=False,
        rules=RULES,
    ).state


def replied() -> CaseState:
    return lc.reply(
        assigned(), on=date(2026, 6, 28), method="written", result="B", summary=None
    ).state


def closed(satisfaction: str | None = "dissatisfied") -> CaseState:
    return lc.close(replied(), on=date(2026, 7, 3), satisfaction=satisfaction).state


def test_the_codes_are_the_stored_ones() -> None:
    """Statuses and actions keep the codes the ledger and its audit trail hold."""
    assert [s.value for s in Status] == ["registered", "assigned", "replied", "closed"]
    assert STATUSES.codes == tuple(s.value for s in Status)
    assert {a.value for a in Action} == {
        "case.add",
        "case.assign",
        "case.reassign",
        "case.remind",
        "case.extend",
        "case.reply",
        "case.procedural_reply",
        "case.close",
        "case.reopen",
    }


def test_every_action_has_a_transition_and_a_label() -> None:
    """Adding a step is one entry in each table: none may be forgotten."""
    assert set(lc.TRANSITIONS) == set(Action) == set(lc.ACTION_LABELS)


def test_the_transition_table() -> None:
    """registered → assigned → replied → closed; closed (dissatisfied) → assigned again."""
    assert lc.STATUS_AFTER == {
        Action.ADD: Status.REGISTERED,
        Action.ASSIGN: Status.ASSIGNED,
        Action.REASSIGN: Status.ASSIGNED,
        Action.REPLY: Status.REPLIED,
        Action.CLOSE: Status.CLOSED,
        Action.REOPEN: Status.ASSIGNED,
    }
    assert lc.TRANSITIONS[Action.CLOSE].sources == {Status.REPLIED}
    assert lc.TRANSITIONS[Action.REOPEN].sources == {Status.CLOSED}
    for action in (Action.REMIND, Action.EXTEND, Action.PROCEDURAL_REPLY):
        assert lc.TRANSITIONS[action].target is None  # the status stays


def test_a_round_s_dates_give_its_status() -> None:
    """The status ``db check`` expects from the current round's dates."""
    assert lc.status_in_round(assigned=False) == Status.REGISTERED
    assert lc.status_in_round(assigned=True) == Status.ASSIGNED
    assert lc.status_in_round(assigned=True, replied=True) == Status.REPLIED
    assert lc.status_in_round(assigned=True, replied=True, closed=True) == Status.CLOSED


def test_registration() -> None:
    """A case starts registered in round 1; a letter owes a procedural reply in 7 days."""
    step = lc.register(
        number="2026-0283",
        kind="letter",
        title="来信",
        received=date(2026, 11, 16),
        deputies=["林晓"],
        key=False,
        rules=RULES,
    )
    assert step.state.status == Status.REGISTERED and step.state.round == 1
    assert step.state.proc_due == date(2026, 11, 23)
    assert step.event == lc.CaseEvent(
        Action.ADD,
        date(2026, 11, 16),
        1,
        {
            "number": "2026-0283",
            "kind": "letter",
            "title": "来信",
            "deputies": ["林晓"],
            "key": False,
        },
    )
    assert registered().proc_due is None  # a suggestion owes none


def test_assignment_starts_the_clock() -> None:
    """The deadline counts from assignment: a suggestion 3 months (README tour: due 06-05)."""
    step = lc.assign(
        registered(),
        on=date(2026, 3, 5),
        department="控告申诉检察部",
        handler="沈红",
        co_departments=["法律政策研究室"],
        lead_is_co=False,
        due=None,
        complex_=False,
        rules=RULES,
    )
    assert step.state.status == Status.ASSIGNED
    assert step.state.due == step.state.due_original == date(2026, 6, 5)
    assert step.event.action == Action.ASSIGN
    assert step.event.details == {
        "department": "控告申诉检察部",
        "handler": "沈红",
        "co_departments": ["法律政策研究室"],
        "due": "2026-06-05",
        "complex": False,
    }


def test_reassignment_keeps_the_deadline() -> None:
    """Reassigning an assigned case is its own action and cannot move the due date."""
    step = lc.assign(
        assigned(),
        on=date(2026, 3, 6),
        department="刑事检察部",
        handler=None,
        co_departments=[],
        lead_is_co=False,
        due=None,
        complex_=False,
        rules=RULES,
    )
    assert step.event.action == Action.REASSIGN
    assert step.state.due == date(2026, 6, 5) and step.state.assigned_on == date(2026, 3, 5)
    with pytest.raises(IllegalTransition, match="reassigning keeps the deadline"):
        lc.check_assign(assigned(), on=date(2026, 3, 6), due=date(2026, 9, 1))


def test_assignment_refusals() -> None:
    """Contradictory inputs and dates before the previous step are refused."""
    with pytest.raises(InvalidValue, match="either --due or --complex"):
        lc.check_assign(registered(), on=date(2026, 3, 5), due=date(2026, 4, 1), complex_=True)
    with pytest.raises(InvalidValue, match="does not apply to a petition"):
        lc.check_assign(registered("petition"), on=date(2026, 3, 5), complex_=True)
    with pytest.raises(IllegalTransition, match=r"before the case's previous step \(2026-03-02\)"):
        lc.check_assign(registered(), on=date(2026, 3, 1))
    with pytest.raises(IllegalTransition, match="only a registered or assigned case"):
        lc.check_assign(replied(), on=date(2026, 7, 1))


def test_remind_extend_and_reply_need_an_assigned_case() -> None:
    """A registered case must be assigned first; a replied one is past these steps."""
    with pytest.raises(IllegalTransition, match="not assigned yet"):
        lc.remind(registered(), on=date(2026, 3, 3), note=None)
    with pytest.raises(IllegalTransition, match="cannot reply to case 2026-0282: it is already"):
        lc.check(replied(), Action.REPLY, date(2026, 7, 1))


def test_a_reminder_changes_only_the_last_step_date() -> None:
    step = lc.remind(assigned(), on=date(2026, 5, 20), note="电话催办")
    assert step.state == replace(assigned(), last_on=date(2026, 5, 20))
    assert step.event.details == {"note": "电话催办"}
    assert lc.remind(assigned(), on=date(2026, 5, 20), note=None).event.details is None


def test_extension() -> None:
    """An extension must be later than the current due date; a petition's is capped."""
    step = lc.extend(assigned(), on=date(2026, 6, 1), due=date(2026, 7, 5), reason="r", rules=RULES)
    assert step.state.due == date(2026, 7, 5) and step.state.due_original == date(2026, 6, 5)
    assert step.event.details == {"old_due": "2026-06-05", "new_due": "2026-07-05", "reason": "r"}
    with pytest.raises(IllegalTransition, match="is not after the current one"):
        lc.extend(assigned(), on=date(2026, 6, 1), due=date(2026, 6, 5), reason="r", rules=RULES)
    petition = assigned("petition")  # due 60 days after 03-05: 05-04
    with pytest.raises(IllegalTransition, match="at most 30 days"):
        lc.extend(petition, on=date(2026, 4, 1), due=date(2026, 6, 4), reason="r", rules=RULES)


def test_reply_on_time_or_late() -> None:
    """A reply on the due date is on time; the case becomes replied."""
    on_due = lc.reply(assigned(), on=date(2026, 6, 5), method="written", result=None, summary=None)
    assert on_due.state.status == Status.REPLIED and on_due.event.details["on_time"] is True
    late = lc.reply(assigned(), on=date(2026, 6, 6), method="phone", result="A", summary="s")
    assert late.event.details == {
        "method": "phone",
        "result": "A",
        "summary": "s",
        "on_time": False,
    }


def test_procedural_reply() -> None:
    """Only letters and cases of concern, once, before the substantive reply."""
    letter = registered("letter", date(2026, 11, 16))
    step = lc.procedural_reply(letter, on=date(2026, 11, 18))
    assert step.state.status == Status.REGISTERED
    assert step.state.proc_replied_on == date(2026, 11, 18)
    assert step.event.details == {"on_time": True}
    with pytest.raises(IllegalTransition, match="already had its procedural reply"):
        lc.procedural_reply(step.state, on=date(2026, 11, 19))
    with pytest.raises(IllegalTransition, match="applies to letters and cases of concern"):
        lc.procedural_reply(registered(), on=date(2026, 3, 3))
    with pytest.raises(IllegalTransition, match="before the case was received"):
        lc.procedural_reply(letter, on=date(2026, 11, 15))


def test_close_needs_a_reply() -> None:
    """README tour: closing an assigned case says so and changes nothing."""
    with pytest.raises(IllegalTransition, match="is assigned; only a replied case can be closed"):
        lc.close(assigned(), on=date(2026, 11, 20), satisfaction="satisfied")
    with pytest.raises(IllegalTransition, match="is already closed"):
        lc.close(closed(), on=date(2026, 7, 4), satisfaction=None)
    assert closed().status == Status.CLOSED and closed().satisfaction == "dissatisfied"


def test_reopen_after_a_dissatisfied_close() -> None:
    """A new round, assigned on reopening, due a month later (README tour: 08-06)."""
    step = lc.reopen(closed(), on=date(2026, 7, 6), reason="代表认为措施不具体", rules=RULES)
    assert step.state.status == Status.ASSIGNED and step.state.round == 2
    assert step.state.due == step.state.due_original == date(2026, 8, 6)
    assert step.state.satisfaction is None and step.state.replied_on is None
    assert step.event == lc.CaseEvent(
        Action.REOPEN, date(2026, 7, 6), 2, {"reason": "代表认为措施不具体", "due": "2026-08-06"}
    )
    with pytest.raises(IllegalTransition, match="only when closed with the deputy dissatisfied"):
        lc.reopen(closed("satisfied"), on=date(2026, 7, 6), reason="r", rules=RULES)
