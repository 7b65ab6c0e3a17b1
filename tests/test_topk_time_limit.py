"""`--top K` under a time limit: fewer than K slates while more may exist is `feasible` with a warning.

Never `optimal` with fewer slates than exist and no warning; when exactly r < K teams exist and the
solver proves there is no further one, the status stays `optimal` with no warning.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import community, crowd

import planner.slate.solve as slate_solve
from planner.cli import main
from planner.slate import SlateOptions, solve_slates
from planner.slate.solve import Session, Solved

FAST = {"time_limit": 10.0, "workers": 1}


def stop_after(monkeypatch: pytest.MonkeyPatch, found: int, how: str) -> None:
    """Make top-K run out of time after `found` slates: the deadline passes, or the next solve comes back unknown."""
    real = Session.optimize

    def optimize(self: Session, sm: Any) -> Solved:
        calls = self.__dict__["test_calls"] = self.__dict__.get("test_calls", 0) + 1  # per solve_slates call
        if how == "unknown" and calls > found:
            return Solved(status="unknown")
        solved = real(self, sm)
        if how == "deadline" and calls == found:
            self.deadline = time.monotonic() - 1
        return solved

    monkeypatch.setattr(slate_solve.Session, "optimize", optimize)


@pytest.mark.parametrize("how", ["deadline", "unknown"])
def test_top_k_cut_short_is_feasible_with_a_warning(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stop_after(monkeypatch, 2, how)
    res = solve_slates(community(crowd()), SlateOptions(top=5, **FAST))
    assert len(res.slates) == 2
    assert res.status == "feasible"
    (warning,) = res.warnings
    assert "2 of 5 slates" in warning.en and "5个方案中的2个" in warning.zh
    data = res.to_json()
    assert data["status"] == "feasible" and data["warnings"] == [warning.both()]
    assert data["warning_texts"] == [{"zh": warning.zh, "en": warning.en}]


def test_top_k_proved_complete_stays_optimal_without_warning() -> None:
    # p01..p07 locked in: exactly 3 teams exist (the eighth place goes to p08 or p09, or p06 alone holds two)
    locks = {f"p{i:02d}": None for i in range(1, 8)}
    c = community(crowd(9))
    res = solve_slates(c, SlateOptions(top=5, locks=locks, **FAST))
    assert len(res.slates) == 3 and len({frozenset(s.team()) for s in res.slates}) == 3
    assert res.status == "optimal" and res.warnings == [] and res.to_json()["warnings"] == []
    more = solve_slates(c, SlateOptions(top=50, locks=locks, **FAST))
    assert [s.team() for s in more.slates] == [s.team() for s in res.slates]  # no fourth team exists


def test_top_k_all_found_has_no_warning() -> None:
    res = solve_slates(community(crowd()), SlateOptions(top=3, **FAST))
    assert len(res.slates) == 3 and res.status == "optimal" and res.warnings == []


def test_cli_prints_the_warning_in_json_and_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "c.json"
    scenario.write_text(
        json.dumps(
            {
                "kind": "community",
                "id": "test",
                "name": "测试社区",
                "reference_date": "2020-12-10",
                "people": crowd(),
            }
        ),
        encoding="utf-8",
    )
    stop_after(monkeypatch, 2, "deadline")
    assert main(["slate", str(scenario), "--top", "5", "--json", "--workers", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "feasible" and len(data["slates"]) == 2
    assert any("2 of 5 slates" in w for w in data["warnings"])
    assert main(["slate", str(scenario), "--top", "5", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "可行（未证明最优）" in out
    assert "⚠" in out and "2 of 5 slates" in out and "5个方案中的2个" in out


def test_a_real_time_limit_never_claims_optimal_with_fewer_slates() -> None:
    """A tiny time limit on 200 people: whatever comes back short of 50 carries a warning and is not optimal."""
    from helpers import generated_community as _generated_community

    from planner.scenario import parse_scenario

    c = parse_scenario(_generated_community(200), source="<generated 200>")
    res = solve_slates(c, SlateOptions(top=50, time_limit=0.3, workers=1))
    if len(res.slates) < 50 and res.slates:
        assert res.status == "feasible"
        assert res.warnings and "of 50 slates" in res.warnings[0].en
    elif not res.slates:
        assert res.status in ("unknown", "infeasible")
