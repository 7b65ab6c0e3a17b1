"""Shared test helpers: small scenarios built in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.scenario import Community, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def person(pid: str, **fields: Any) -> dict[str, Any]:
    """A person who is eligible for every post unless `fields` say otherwise."""
    base: dict[str, Any] = {
        "id": pid, "name": f"人{pid}", "gender": "M", "birth_date": "1985-06-01", "education": "college",
        "party_member": True, "party_joined": "2010-07-01", "joint_review": "passed", "support": 50,
    }
    base.update(fields)
    return base


def community(people: list[dict[str, Any]], **fields: Any) -> Community:
    """A community scenario from people dicts; `fields` override top-level keys (rules, relatives, ...)."""
    data: dict[str, Any] = {"kind": "community", "id": "test", "name": "测试社区", "reference_date": "2020-12-10",
                            "people": people}
    data.update(fields)
    scenario = parse_scenario(data, source="<test>")
    assert isinstance(scenario, Community)
    return scenario


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
