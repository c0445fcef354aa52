"""The first path a clerk takes: register, assign, reply, close."""

from __future__ import annotations

from helpers import as_json, setup_office


def test_case_from_registration_to_close(cli):
    setup_office(cli)
    out = cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "关于加强公益诉讼的建议",
        "--received",
        "2026-03-31",
    )
    assert out.stdout.strip() == "registered case 2026-0001"
    out = cli(
        "assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-31"
    )
    assert "due 2026-06-30" in out.stdout
    cli("reply", "2026-0001", "--method", "written", "--result", "A", "--date", "2026-06-30")
    cli("close", "2026-0001", "--satisfaction", "satisfied", "--date", "2026-07-02")
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["status"], r["due"], r["satisfaction"]) for r in rows] == [
        ("2026-0001", "closed", "2026-06-30", "satisfied")
    ]
