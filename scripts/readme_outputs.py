"""Run the README's console examples and check or rewrite the outputs it shows.

    python scripts/readme_outputs.py           rewrite README.md's outputs in place
    python scripts/readme_outputs.py --check   print a diff per mismatch, exit 1 if any

The README promises real output; ``tests/test_readme.py`` holds it to that with
the same rules, so after a change to the tool run this script, read the diff
(``git diff README.md``) and commit it.

Rules
-----
* Every fenced block opened with ```` ```console ```` is run, in README order,
  in one temporary directory holding a fresh copy of ``sample.db``. A block
  opened with ```` ```console no-test ```` is not run (fresh-machine steps,
  PostgreSQL, shell completion).
* In a block, a line starting with ``$ `` is a command; the lines after it,
  up to the next command or the end of the block, are its output: stdout, then
  stderr (unless the command ends with ``2>/dev/null``), each line stripped of
  trailing spaces. Absolute paths into the directory print as ``TOUR_DIR``.
* Commands understood: ``liaison ARGS`` (with ``NAME=VALUE`` prefixes);
  ``A && B && .venv/bin/liaison ARGS`` where A, B are the venv and pip install
  steps (only the ``liaison`` part runs here); ``export NAME=VALUE …``;
  ``cp SRC DST``; ``cat > FILE <<'EOF'`` with the file's lines up to ``EOF``;
  ``cat FILE``; ``head -N FILE``; ``echo $?`` (the previous exit code). Any
  other command is an error: put it in a ``no-test`` block.
* A ``liaison`` command must exit 0 unless its output shows an ``error:``
  line (``错误：`` in Chinese); ``echo $?`` after it pins the code.
* Every ``liaison`` command runs in-process through Typer's CliRunner, as the
  test suite runs it; the language (``--lang zh``, ``LIAISON_LANG=zh``) is
  chosen by each command as it runs.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
# where the README says the tour was run; the temporary directory prints as this
TOUR_DIR = "/home/clerk/liaison"
# what every run sees, whatever the developer's shell has set
BASE_ENV = {
    "COLUMNS": "200",
    "LIAISON_LANG": "en",
    "LIAISON_USER": "clerk",
    "LIAISON_CONFIG": os.devnull,
}
CLEARED_ENV = ("LIAISON_DB", "LIAISON_FORMAT")

_FENCE = re.compile(r"^```console(?P<info>[^\n]*)$")
_HEREDOC = re.compile(r"^cat > (?P<file>\S+) <<'?(?P<tag>\w+)'?$")
_ASSIGN = re.compile(r"^[A-Z_][A-Z0-9_]*=")
_INSTALL_STEP = re.compile(r"^(python3? -m venv \S+|\S*pip install .*)$")


@dataclass
class Step:
    """One ``$`` command of the README, with the output the README shows."""

    line: int  # 1-based line of the ``$`` in README.md
    command: str
    expected: list[str]
    heredoc: list[str] | None = None
    output_start: int = 0  # 0-based index in the README's lines of the first output line

    @property
    def output_end(self) -> int:
        return self.output_start + len(self.expected)


@dataclass
class Outcome:
    step: Step
    actual: list[str]
    problem: str | None = None  # wrong exit code, unknown command …
    shows_error: bool = False  # the actual output has an error line

    @property
    def ok(self) -> bool:
        return self.problem is None and self.actual == _trim(self.step.expected)

    def report(self) -> str:
        head = f"README.md:{self.step.line}: $ {self.step.command}"
        if self.problem:
            head += f"\n  {self.problem}"
        diff = difflib.unified_diff(
            _trim(self.step.expected), self.actual, "README", "actual", lineterm="", n=2
        )
        return "\n".join([head, *diff])


def _trim(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def parse(text: str) -> list[Step]:
    """The commands of every tested ```console block, in order."""
    lines = text.split("\n")
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        i += 1
        if not fence:
            continue
        tested = "no-test" not in fence.group("info").split()
        current: Step | None = None
        while i < len(lines) and lines[i] != "```":
            line = lines[i]
            if tested and line.startswith("$ "):
                current = Step(i + 1, line[2:].strip(), [], output_start=i + 1)
                steps.append(current)
                heredoc = _HEREDOC.match(current.command)
                if heredoc:
                    body: list[str] = []
                    i += 1
                    while i < len(lines) and lines[i] != heredoc.group("tag"):
                        body.append(lines[i])
                        i += 1
                    current.heredoc = body
                    current.output_start = i + 1
            elif tested:
                if current is None:
                    raise ValueError(f"README.md:{i + 1}: output before any $ command")
                current.expected.append(line)
            i += 1
        i += 1
    return steps


Invoke = Callable[[list[str], dict[str, str]], tuple[int, str, str]]


def invoke_in_process(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """``liaison ARGS`` through Typer's CliRunner, as the test suite runs it."""
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    cleared: dict[str, str | None] = {name: None for name in CLEARED_ENV if name not in env}
    result = CliRunner().invoke(app, args, env={**cleared, **env}, prog_name="liaison")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"liaison {shlex.join(args)} raised") from result.exception
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Tour:
    """The temporary directory and the shell state the README's commands share."""

    workdir: Path
    invoke: Invoke = invoke_in_process
    env: dict[str, str] = field(default_factory=lambda: dict(BASE_ENV))
    last_exit: int = 0

    def run(self, step: Step) -> Outcome:
        try:
            code, out, err, may_fail = self._dispatch(step)
        except _Unsupported as exc:
            return Outcome(step, [], str(exc))
        actual = _trim(self._paths(out + err).split("\n"))
        outcome = Outcome(step, actual, shows_error=_shows_error("\n".join(actual)))
        if code and not may_fail:
            outcome.problem = f"exit code {code} (only a command that shows an error may fail)"
        self.last_exit = code
        return outcome

    def _paths(self, text: str) -> str:
        for form in {str(self.workdir.resolve()), str(self.workdir)}:
            text = text.replace(form, TOUR_DIR)
        return text

    def _dispatch(self, step: Step) -> tuple[int, str, str, bool]:
        command = step.command
        if step.heredoc is not None:
            target = _HEREDOC.match(command).group("file")  # type: ignore[union-attr]
            (self.workdir / target).write_text("\n".join(step.heredoc) + "\n", encoding="utf-8")
            return 0, "", "", False
        if command == "echo $?":
            return 0, f"{self.last_exit}\n", "", False
        quiet_stderr = command.endswith(" 2>/dev/null")
        if quiet_stderr:
            command = command.removesuffix(" 2>/dev/null")
        segments = [s.strip() for s in command.split(" && ")]
        for segment in segments[:-1]:
            if not _INSTALL_STEP.match(segment):
                raise _Unsupported(f"only install steps may precede '&&': {segment}")
        words = shlex.split(segments[-1])
        if words[0] == "export":
            for word in words[1:]:
                name, _, value = word.partition("=")
                self.env[name] = value
            return 0, "", "", False
        if words[0] == "cp" and len(words) == 3:
            shutil.copyfile(self.workdir / words[1], self.workdir / words[2])
            return 0, "", "", False
        if words[0] == "cat" and len(words) == 2:
            return 0, (self.workdir / words[1]).read_text(encoding="utf-8-sig"), "", False
        if words[0] == "head" and len(words) == 3 and re.fullmatch(r"-\d+", words[1]):
            text = (self.workdir / words[2]).read_text(encoding="utf-8-sig")
            kept = text.splitlines()[: int(words[1][1:])]
            return 0, "\n".join(kept) + "\n", "", False
        env = dict(self.env)
        while words and _ASSIGN.match(words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if not words or words[0] not in ("liaison", ".venv/bin/liaison"):
            raise _Unsupported("not a command this check runs: mark the block ```console no-test")
        args = words[1:]
        code, out, err = self.invoke(args, env)
        if quiet_stderr:
            err = ""
        return code, out, err, _shows_error("\n".join(step.expected))


class _Unsupported(Exception):
    pass


def _shows_error(text: str) -> bool:
    return "error:" in text.lower() or "错误：" in text


def run_readme(text: str, workdir: Path, invoke: Invoke = invoke_in_process) -> list[Outcome]:
    """Run every tested command of ``text`` in ``workdir`` (which must hold sample.db)."""
    tour = Tour(workdir, invoke)
    data_home = workdir / ".data"  # a command without --db must not touch the user's ledger
    tour.env["XDG_DATA_HOME"] = str(data_home)
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        return [tour.run(step) for step in parse(text)]
    finally:
        os.chdir(cwd)


def rewrite(text: str, outcomes: list[Outcome]) -> str:
    """``text`` with each command's output replaced by what it really printed."""
    lines = text.split("\n")
    for outcome in sorted(outcomes, key=lambda o: o.step.output_start, reverse=True):
        step = outcome.step
        if outcome.ok or (outcome.problem and not outcome.shows_error):
            continue
        end = step.output_end
        # keep the blank lines that separate this output from the next command
        while end > step.output_start and not lines[end - 1].strip():
            end -= 1
        lines[step.output_start : end] = outcome.actual
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    for name, value in BASE_ENV.items():
        os.environ[name] = value
    for name in CLEARED_ENV:
        os.environ.pop(name, None)
    check = "--check" in argv
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="liaison-readme-") as tmp:
        workdir = Path(tmp)
        shutil.copyfile(REPO / "sample.db", workdir / "sample.db")
        outcomes = run_readme(text, workdir)
    bad = [o for o in outcomes if not o.ok]
    problems = [o for o in bad if o.problem and not (o.shows_error and not check)]
    for outcome in problems if not check else bad:
        print(outcome.report(), file=sys.stderr)
    if check:
        print(f"{len(outcomes)} commands, {len(bad)} differ", file=sys.stderr)
        return 1 if bad else 0
    new = rewrite(text, outcomes)
    if new != text:
        README.write_text(new, encoding="utf-8")
    print(
        f"{len(outcomes)} commands; rewrote {len(bad) - len(problems)} outputs;"
        f" {len(problems)} commands need a fix by hand",
        file=sys.stderr,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
