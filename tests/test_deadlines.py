"""Deadline rules: each kind's rule, month-end clamping, --due, the config file."""

from __future__ import annotations

from helpers import as_json


def office(cli):
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "陈静", "--level", "national")


def register(cli, kind, received, *extra, **kw):
    argv = ["add-suggestion", "--deputy", "陈静", "--title", f"{kind} {received}"]
    argv += ["--kind", kind, "--received", received, *extra]
    return as_json(cli(*argv, fmt="json", **kw))[0]


def assign(cli, number, on, *extra, **kw):
    argv = ["assign", number, "--dept", "第一检察部", "--date", on, *extra]
    return as_json(cli(*argv, fmt="json", **kw))[0]


# kind, --complex?, received, assigned, substantive due, procedural due
RULES = [
    # suggestions and motions: 3 months from assignment, 6 when complex
    ("suggestion", False, "2026-03-31", "2026-03-31", "2026-06-30", None),
    ("suggestion", False, "2026-01-20", "2026-01-31", "2026-04-30", None),
    ("motion", False, "2026-11-30", "2026-11-30", "2027-02-28", None),
    ("suggestion", True, "2026-03-31", "2026-03-31", "2026-09-30", None),
    ("motion", True, "2026-08-31", "2026-08-31", "2027-02-28", None),
    # a leap year keeps the 29th
    ("suggestion", False, "2027-11-30", "2027-11-30", "2028-02-29", None),
    # CPPCC proposals: 3 months, 6 when complex
    ("proposal", False, "2026-05-31", "2026-06-01", "2026-09-01", None),
    ("proposal", True, "2026-05-31", "2026-05-31", "2026-11-30", None),
    # letters and cases of concern: 7 days from receipt, 3 months from assignment
    ("letter", False, "2026-03-25", "2026-03-31", "2026-06-30", "2026-04-01"),
    ("concern", False, "2026-12-28", "2027-01-04", "2027-04-04", "2027-01-04"),
    # petitions: 60 days from acceptance
    ("petition", False, "2026-01-10", "2026-01-10", "2026-03-11", None),
    ("petition", False, "2028-01-10", "2028-01-10", "2028-03-10", None),
]


def test_each_kinds_rule_from_assignment_with_month_end_clamping(cli):
    office(cli)
    for kind, complex_, received, assigned, due, proc_due in RULES:
        row = register(cli, kind, received)
        assert row["proc_due"] == proc_due, (kind, received)
        row = assign(cli, row["number"], assigned, *(["--complex"] if complex_ else []))
        assert row["due"] == due, (kind, complex_, assigned)
    rows = as_json(cli("cases", fmt="json"))
    assert sorted(r["due"] for r in rows) == sorted(r[4] for r in RULES)


def test_due_overrides_the_rule_and_is_kept_as_the_original_due(cli):
    office(cli)
    register(cli, "suggestion", "2026-03-31")
    row = assign(cli, "2026-0001", "2026-04-01", "--due", "2026年5月15日")
    assert row["due"] == "2026-05-15"
    shown = as_json(cli("show", "2026-0001", fmt="json"))[0]
    assert (shown["due"], shown["due_original"], shown["assigned"]) == (
        "2026-05-15",
        "2026-05-15",
        "2026-04-01",
    )
    # a due date on the assignment day itself is allowed
    register(cli, "motion", "2026-04-01")
    assert assign(cli, "2026-0002", "2026-04-01", "--due", "2026-04-01")["due"] == "2026-04-01"


def test_rehandling_round_is_one_month_from_reopening_clamped(cli):
    office(cli)
    register(cli, "suggestion", "2026-01-05")
    assign(cli, "2026-0001", "2026-01-05")
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-01-20")
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-01-25")
    row = as_json(cli("reopen", "2026-0001", "--reason", "r", "--date", "2026-01-31", fmt="json"))
    assert (row[0]["round"], row[0]["due"]) == (2, "2026-02-28")


def test_a_deadline_past_year_9999_is_a_user_error(cli):
    office(cli)
    register(cli, "suggestion", "9999-11-01")
    out = cli("assign", "9999-0001", "--dept", "第一检察部", "--date", "9999-11-01", ok=False)
    assert (out.exit_code, out.stderr) == (
        1,
        "error: a deadline counted from 9999-11-01 falls past the last representable date\n",
    )
    out = cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "t",
        "--kind",
        "letter",
        "--received",
        "9999-12-30",
        ok=False,
    )
    assert out.exit_code == 1
    assert [r["number"] for r in as_json(cli("cases", fmt="json"))] == ["9999-0001"]


def test_petition_extension_is_capped_at_30_days(cli):
    office(cli)
    register(cli, "petition", "2026-01-10")
    assign(cli, "2026-0001", "2026-01-10")  # due 2026-03-11
    cli(
        "extend",
        "2026-0001",
        "--due",
        "2026-03-31",
        "--reason",
        "需要补充材料",
        "--date",
        "2026-03-01",
    )
    out = cli(
        "extend",
        "2026-0001",
        "--due",
        "2026-04-11",
        "--reason",
        "再延",
        "--date",
        "2026-03-20",
        ok=False,
    )
    assert out.stderr == (
        "error: a petition's deadline may be extended by at most 30 days (to 2026-04-10), "
        "not to 2026-04-11\n"
    )
    cli("extend", "2026-0001", "--due", "2026-04-10", "--reason", "再延", "--date", "2026-03-20")
    shown = as_json(cli("show", "2026-0001", fmt="json"))[0]
    assert [(e["old_due"], e["new_due"]) for e in shown["rounds"][0]["extensions"]] == [
        ("2026-03-11", "2026-03-31"),
        ("2026-03-31", "2026-04-10"),
    ]


def test_config_file_changes_the_rules_for_later_steps_only(cli, tmp_path):
    office(cli)
    register(cli, "suggestion", "2026-03-31")
    assign(cli, "2026-0001", "2026-03-31")  # under the defaults: 2026-06-30

    config = tmp_path / "liaison.toml"
    config.write_text(
        "[deadlines]\n"
        "suggestion_months = 2\n"
        "complex_months = 4\n"
        "proposal_months = 1\n"
        "letter_months = 2\n"
        "procedural_days = 5\n"
        "petition_days = 30\n"
        "petition_extension_days = 0\n"
        "rehandle_months = 2\n",
        encoding="utf-8",
    )
    env = {"LIAISON_CONFIG": str(config)}
    cases = [
        ("suggestion", [], "2026-05-31"),
        ("motion", ["--complex"], "2026-07-31"),
        ("proposal", [], "2026-04-30"),
        ("letter", [], "2026-05-31"),
        ("petition", [], "2026-04-30"),
    ]
    for kind, extra, due in cases:
        row = register(cli, kind, "2026-03-31", env=env)
        if kind == "letter":
            assert row["proc_due"] == "2026-04-05"
        assert assign(cli, row["number"], "2026-03-31", *extra, env=env)["due"] == due, kind
    # the due dates already on the ledger stay as they were
    rows = {r["number"]: r["due"] for r in as_json(cli("cases", fmt="json", env=env))}
    assert rows["2026-0001"] == "2026-06-30"
    # no extension at all for petitions under this office's rule
    out = cli(
        "extend",
        "2026-0006",
        "--due",
        "2026-05-01",
        "--reason",
        "r",
        "--date",
        "2026-04-01",
        env=env,
        ok=False,
    )
    assert out.stderr.startswith("error: a petition's deadline may be extended by at most 0 days")
    # re-handling: two months here
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-04-01", env=env)
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-04-02", env=env)
    row = as_json(
        cli("reopen", "2026-0001", "--reason", "r", "--date", "2026-04-30", fmt="json", env=env)
    )[0]
    assert row["due"] == "2026-06-30"
    # a file that names only one rule keeps the defaults for the rest
    config.write_text("[deadlines]\nsuggestion_months = 4\n", encoding="utf-8")
    row = register(cli, "proposal", "2026-03-31", env=env)
    assert assign(cli, row["number"], "2026-03-31", env=env)["due"] == "2026-06-30"
    row = register(cli, "suggestion", "2026-03-31", env=env)
    assert assign(cli, row["number"], "2026-03-31", env=env)["due"] == "2026-07-31"


def test_a_bad_config_file_is_a_clear_error_and_changes_nothing(cli, tmp_path):
    office(cli)
    register(cli, "suggestion", "2026-03-31")
    before = cli("cases", fmt="json").stdout
    config = tmp_path / "liaison.toml"
    env = {"LIAISON_CONFIG": str(config)}
    for text, message in [
        (
            "[deadlines]\nsugestion_months = 2\n",
            f"error: unknown setting deadlines.sugestion_months in {config}\n",
        ),
        (
            "[deadlines]\nsuggestion_months = 'three'\n",
            f"error: deadlines.suggestion_months in {config} must be a whole number of days or months\n",  # noqa: E501
        ),
        (
            "[deadlines]\nprocedural_days = 0\n",
            f"error: deadlines.procedural_days in {config} must be a whole number of days or months\n",  # noqa: E501
        ),
        ("deadlines = 3\n", f"error: [deadlines] in {config} must be a table\n"),
    ]:
        config.write_text(text, encoding="utf-8")
        out = cli("assign", "2026-0001", "--dept", "第一检察部", env=env, ok=False)
        assert (out.exit_code, out.stderr, out.stdout) == (1, message, ""), text
    config.write_text("[deadlines\n", encoding="utf-8")
    out = cli("assign", "2026-0001", "--dept", "第一检察部", env=env, ok=False)
    assert out.exit_code == 1
    assert out.stderr.startswith(f"error: cannot read config {config}: ")
    assert len(out.stderr.splitlines()) == 1
    assert cli("cases", fmt="json").stdout == before
