"""Data-driven rule cases with golden output.

Each folder under ``tests/cases/check/`` is one case, named ``<rule-id>--pass[-x]`` or
``<rule-id>--fail[-x]``. The test copies ``tests/cases/_template/`` (a small, valid extension
folder without a manifest) into a temporary folder, lays the case's files over it (a file
named ``.delete`` lists template paths to remove), runs ``zoho-manifest-guard check`` there and
compares the text output with ``expected.txt``. ``pytest --update-golden`` rewrites the goldens.

A ``--fail`` case must produce its rule's id; a ``--pass`` case must not. Every documented rule
id needs at least one of each (see ``test_every_rule_has_a_failing_and_a_passing_case``).
"""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker.calls.rules import CODE_RULES
from checker.cli import main
from checker.rule_index import all_rule_infos

CASES = Path(__file__).parent / "cases"
TEMPLATE = CASES / "_template"
CHECK_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())
# Ids that cannot be produced by a committed folder; each is covered by its own unit test.
NO_CASE_FOLDER = {
    "file-unreadable": "tests/unit/test_workspace.py (permissions)",
    "file-symlink": "tests/unit/test_workspace.py (link out of the workspace)",
    "file-too-large": "tests/unit/test_source.py (size limit)",
    "checker-crash": "tests/unit/test_validate.py (a rule that raises)",
}
CASE_META = {"expected.txt", ".delete", "README"}
CODE_RULE_IDS = {info.id for info in CODE_RULES}


def _rule_of(case: Path) -> tuple[str, str]:
    rule_id, _, rest = case.name.partition("--")
    return rule_id, rest.split("-", 1)[0]


def materialise(case: Path, target: Path) -> None:
    """Build the case's extension folder at ``target``."""
    shutil.copytree(TEMPLATE, target)
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() in CASE_META:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    delete = case / ".delete"
    if delete.exists():
        for line in delete.read_text(encoding="utf-8").splitlines():
            victim = target / line.strip()
            if line.strip() and victim.is_dir():
                shutil.rmtree(victim)
            elif line.strip():
                victim.unlink()


def run_case(case: Path, tmp_path: Path) -> tuple[int, str]:
    """Exit code and text output of ``check`` on the materialised case.

    The extension's code is read only for the cases of the code rules: the other cases
    exercise manifest rules, whose folders hold no code that uses their connections.
    """
    folder = tmp_path / "ext"
    materialise(case, folder)
    out = io.StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    code_switch = [] if _rule_of(case)[0] in CODE_RULE_IDS else ["--no-code"]
    try:
        with redirect_stdout(out):
            code = main(["check", ".", "--color", "never", *code_switch])
    finally:
        os.chdir(cwd)
    return code, out.getvalue()


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c.name for c in CHECK_CASES])
def test_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    code, output = run_case(case, tmp_path)
    assert code in (0, 1), output
    rule_id, kind = _rule_of(case)
    assert kind in ("pass", "fail"), f"{case.name}: name must be <rule-id>--pass or --fail"
    if kind == "fail":
        assert f"[{rule_id}]" in output, output
    else:
        assert f"[{rule_id}]" not in output, output
    golden = case / "expected.txt"
    if update_golden or not golden.exists():
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    have: dict[str, set[str]] = {}
    for case in CHECK_CASES:
        rule_id, kind = _rule_of(case)
        have.setdefault(rule_id, set()).add(kind)
    ids = {info.id for info in all_rule_infos()}
    missing = sorted(
        f"{rule_id}--{kind}"
        for rule_id in ids - set(NO_CASE_FOLDER)
        for kind in ("pass", "fail")
        if kind not in have.get(rule_id, set())
    )
    assert not missing, f"rules without a case folder: {missing}"
    unknown = sorted(set(have) - ids)
    assert not unknown, f"case folders for ids that do not exist: {unknown}"
