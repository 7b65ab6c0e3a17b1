"""The repository carries its own user documentation (docs/), generated where it can be, and it never
points at files users do not have."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.catalogue import REGENERATE, rules_markdown
from planner.rules import DISQUALIFICATIONS, RULES
from planner.scenario import (
    After,
    Community,
    Person,
    PreviousTerm,
    RuleSettings,
    ScheduleSettings,
    Seats,
    Stage,
    Subdistrict,
    Weights,
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FORBIDDEN = ("../shared", "shared/spec")
THIS_FILE = "tests/test_docs.py"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_rules_md_is_generated_from_the_code() -> None:
    assert _read("RULES.md") == rules_markdown(), (
        f"docs/RULES.md is out of date with planner/rules.py and planner/legal.py; regenerate it with `{REGENERATE}`"
    )


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:  # pragma: no cover - not a git checkout
        pytest.skip(f"git ls-files failed: {exc}")
    return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]


def test_no_tracked_file_points_at_shared() -> None:
    offenders = []
    for name in _tracked_files():
        if name.startswith(".ci/") or name == THIS_FILE:
            continue
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, or a submodule
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:  # binary
            continue
        text = data.decode("utf-8", "replace")
        for number, line in enumerate(text.splitlines(), 1):
            if any(word in line for word in FORBIDDEN):
                offenders.append(f"{name}:{number}: {line.strip()[:120]}")
    assert not offenders, (
        "users have no ../shared folder; point at docs/SCENARIO.md, docs/RULES.md or docs/LEGAL.md "
        "instead:\n" + "\n".join(offenders)
    )


def test_every_rule_id_is_in_rules_md() -> None:
    text = _read("RULES.md")
    missing = [rid for rid in [*RULES, *DISQUALIFICATIONS] if not re.search(rf"\b{rid}\b", text)]
    assert not missing, f"rule ids missing from docs/RULES.md: {missing}; regenerate it with `{REGENERATE}`"


@pytest.mark.parametrize(
    "model",
    [
        Community,
        Person,
        Stage,
        Subdistrict,
        RuleSettings,
        Seats,
        Weights,
        PreviousTerm,
        ScheduleSettings,
        After,
    ],
    ids=lambda m: m.__name__,
)
def test_every_scenario_key_is_in_scenario_md(model: type) -> None:
    text = _read("SCENARIO.md")
    missing = [
        key
        for key in model.model_fields
        if not re.search(rf"(?:^|[\s{{,\[-]){re.escape(key)}:|`{re.escape(key)}`", text, re.MULTILINE)
    ]
    assert not missing, f"{model.__name__} keys not described in docs/SCENARIO.md: {missing}"


def test_user_docs_link_each_other_and_the_readme() -> None:
    scenario = _read("SCENARIO.md")
    for needed in ("RULES.md", "LEGAL.md", "Bad input", "README.md", "x_", "`notes`", "Precise meanings"):
        assert needed in scenario, needed
    legal = _read("LEGAL.md")
    for needed in ("confirmed", "secondary", "practice", "Since the seed"):
        assert needed in legal, needed


def test_catalogue_needs_no_solver_or_ui() -> None:
    code = (
        "import sys, planner.catalogue; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ortools', 'streamlit'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_catalogue_runs_as_a_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "planner.catalogue"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    assert out.decode("utf-8") == rules_markdown()
