"""README.md shows real commands with their real output, and this keeps it so.

Every ```console block of the README (except ```console no-test) is run in
order on a fresh copy of sample.db; each command's stdout and stderr must be
exactly what the README shows. The rules live in scripts/readme_outputs.py,
which also rewrites the README after a deliberate change. The tour uses its
own SQLite copy of sample.db, so it runs the same in both engine passes.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from helpers import command_paths
from typer.testing import CliRunner

from liaison_cli.cli.app import app

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"


def _load_rules():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "readme_outputs", REPO / "scripts" / "readme_outputs.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


rules = _load_rules()


def commands_to_show() -> list[str]:
    """Every command of the app, the top-level help, and ``reply``'s second mode."""
    return ["--help", *command_paths(), "reply --procedural"]


def _tour_dir(tmp_path: Path) -> Path:
    workdir = tmp_path / "tour"
    workdir.mkdir()
    shutil.copyfile(REPO / "sample.db", workdir / "sample.db")
    return workdir


def _liaison_args(command: str) -> list[str] | None:
    """The arguments of the ``liaison`` command a README line runs, if any."""
    words = shlex.split(command.split(" && ")[-1])
    while words and re.match(r"^[A-Z_]+=", words[0]):
        words.pop(0)
    if not words or words[0] not in ("liaison", ".venv/bin/liaison"):
        return None
    return words[1:]


def _command_path(args: list[str]) -> str:
    """``stats cases`` from ``--format csv stats cases --year 2025``."""
    words = list(args)
    while words and words[0].startswith("--") and words[0] != "--help":
        words = words[2:] if "=" not in words[0] else words[1:]
    return " ".join(words)


def test_readme_commands_print_what_the_readme_shows(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    outcomes = rules.run_readme(text, _tour_dir(tmp_path))
    assert len(outcomes) > 50, "the README tour lost its commands"
    failures = [o.report() for o in outcomes if not o.ok]
    if failures:
        pytest.fail(
            f"{len(failures)} of {len(outcomes)} README commands differ"
            " (after a deliberate change: python scripts/readme_outputs.py)\n\n"
            + "\n\n".join(failures),
            pytrace=False,
        )


def test_readme_tour_has_every_command_of_the_app() -> None:
    steps = rules.parse(README.read_text(encoding="utf-8"))
    runs = [a for s in steps if (a := _liaison_args(s.command)) is not None]

    def shown(command: str) -> bool:
        words = command.split()
        names = [w for w in words if not w.startswith("--") or w == "--help"]
        flags = [w for w in words if w not in names]
        return any(
            _command_path(args).split()[: len(names)] == names and set(flags) <= set(args)
            for args in runs
        )

    assert [command for command in commands_to_show() if not shown(command)] == []


def test_quick_start_is_two_commands_and_the_second_is_what_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line[2:] for line in section.splitlines() if line.startswith("$ ")]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -q . && "
        ".venv/bin/liaison --db sample.db overdue --as-of 2026-11-20",
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
        "PATH=$PWD/.venv/bin:$PATH bash scripts/test.sh",
    ]
    # .ci/run installs the same extra into .venv and ends with the same script
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in ci
    assert ci.rstrip().splitlines()[-1] == "bash scripts/test.sh"


def test_show_completion_prints_a_bash_script() -> None:
    """The script ``--show-completion`` prints in bash, asked for by name.

    ``--show-completion`` finds the shell by walking up the process tree,
    which a test run need not have; the completion variable names the shell.
    """
    env = {"_LIAISON_COMPLETE": "source_bash"}
    result = CliRunner().invoke(app, [], env=env, prog_name="liaison")
    assert result.exit_code == 0, result.stderr
    assert "complete -o default -F _liaison_completion liaison" in result.stdout
    assert "_LIAISON_COMPLETE=complete_bash" in result.stdout


CHECKER_README = """\
```console
$ liaison --db sample.db dept list
id  name
1   刑事检察部  3
$ liaison --db sample.db cases --status pending
$ rm sample.db
```

```console no-test
$ liaison --db sample.db this is not run
```
"""


def test_the_check_fails_on_a_changed_output_an_unshown_error_and_a_foreign_command(
    tmp_path: Path,
) -> None:
    outcomes = rules.run_readme(CHECKER_README, _tour_dir(tmp_path))
    assert [o.step.command for o in outcomes] == [
        "liaison --db sample.db dept list",
        "liaison --db sample.db cases --status pending",
        "rm sample.db",
    ]
    changed, error, foreign = outcomes
    assert not changed.ok
    report = changed.report()
    assert "README.md:2: $ liaison --db sample.db dept list" in report
    assert "-1   刑事检察部  3" in report
    # departments in their order of reading (domain.ordering): 代表联络办公室 first here
    assert changed.actual[1].split() == ["9", "代表联络办公室", "4"]
    assert not error.ok and "exit code 1" in (error.problem or "")
    assert error.actual == [
        "error: invalid status 'pending'; choose from: registered, assigned, replied, closed"
    ]
    assert not foreign.ok and "no-test" in (foreign.problem or "")
    assert (tmp_path / "tour" / "sample.db").exists()


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["--format", "csv", "stats", "cases", "--year", "2025"], "stats cases --year 2025"),
        (["--help"], "--help"),
        (["--lang", "zh", "export", "cases"], "export cases"),
    ],
)
def test_command_paths(args: list[str], path: str) -> None:
    assert _command_path(args) == path
