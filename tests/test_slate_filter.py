"""The dominance filter of the slate model (planner.slate.model.dominance_filter) is exact.

People dominated by enough kept people get no variables; the best K distinct-team objectives, the
feasibility verdicts and the minimal conflicts must not change. Checked against the brute-force
enumerator on crowded small-seat communities (where the filter drops people), and against the solver
with the filter switched off on generated 40-60 person communities (with robust lists, locks, why-not).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_parity, community, person

import planner.slate.model as slate_model
from planner.check import check_slate
from planner.scenario import Community
from planner.slate import SlateOptions, solve_slates

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate_community

TINY = {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1}
SMALL = {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 2}
FAST = {"time_limit": 20.0, "workers": 1}


def crowded(seed: int, n: int = 12) -> Community:
    """Many look-alike people (few attribute combinations, tied supports) so that dominance bites."""
    rng = random.Random(seed)
    people = []
    for i in range(1, n + 1):
        fields: dict[str, Any] = {
            "support": rng.choice([50, 60, 60, 70]),
            "gender": "F" if rng.random() < 0.3 else "M",
            "birth_date": rng.choice(["1990-01-01", "1970-01-01"]),
        }
        if rng.random() < 0.1:
            fields["education"] = "high_school"
        if rng.random() < 0.1:
            fields.update(party_member=False, party_joined=None)
        if rng.random() < 0.1:
            fields["stands_for"] = rng.choice(
                [["supervisory_committee"], ["party_committee", "residents_committee"]]
            )
        if rng.random() < 0.1:
            fields["tags"] = ["veteran"]
        people.append(person(f"p{i:02d}", **fields))
    relatives = []
    if rng.random() < 0.5:
        a, b = rng.sample(range(1, n + 1), 2)
        relatives.append({"a": f"p{a:02d}", "b": f"p{b:02d}", "relation": rng.choice(["spouse", "sibling"])})
    rules: dict[str, Any] = {"seats": TINY}
    extras: dict[str, Any] = {}
    if rng.random() < 0.3:
        rules["robust_list"] = True
    if rng.random() < 0.3:
        extras["previous_term"] = {"college_share": rng.choice([0.4, 0.5]), "rc_party_share": 0.5}
    if rng.random() < 0.2:
        rules["min_women"] = 2
    return community(people, relatives=relatives, rules=rules, **extras)


def test_filter_matches_brute_force_on_crowded_communities() -> None:
    dropped = 0
    for seed in range(12):
        c = crowded(seed)
        result = assert_parity(c, top=1 + seed % 2)
        dropped += result.solver.get("people_dropped", 0)
    assert dropped > 0, "the filter never dropped anybody: the test does not exercise it"


def solve_both(c: Community, monkeypatch: pytest.MonkeyPatch, **options: Any):
    filtered = solve_slates(c, SlateOptions(**{**FAST, **options}))
    with monkeypatch.context() as m:
        m.setattr(slate_model, "dominance_filter", lambda sm, people, *a, **k: people)
        full = solve_slates(c, SlateOptions(**{**FAST, **options}))
    assert full.solver["people_dropped"] == 0
    return filtered, full


@pytest.mark.parametrize("seed,robust", [(1, False), (2, False), (3, True), (4, True)])
def test_filter_keeps_the_top_k_objectives(seed: int, robust: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    c = generate_community(120, seed, seats=SMALL)
    if robust:
        c = c.model_copy(update={"rules": c.rules.model_copy(update={"robust_list": True})})
    filtered, full = solve_both(c, monkeypatch, top=4)
    assert filtered.solver["people_dropped"] > 0
    assert filtered.status == full.status
    assert [s.objective for s in filtered.slates] == [s.objective for s in full.slates]
    for s in filtered.slates:
        assert all(ch.ok for ch in check_slate(c, s))


def test_filter_with_locks_why_not_and_explanations(monkeypatch: pytest.MonkeyPatch) -> None:
    c = generate_community(40, 5, seats=SMALL)
    low = min(c.people, key=lambda p: p.support if not p.disqualifications else 999)
    filtered, full = solve_both(c, monkeypatch, locks={low.id: None}, why_not=c.people[-1].id)
    assert filtered.status == full.status
    assert [s.objective for s in filtered.slates] == [s.objective for s in full.slates]
    assert (filtered.why_not or {}).get("cost") == (full.why_not or {}).get("cost")
    assert (filtered.why_not or {}).get("possible") == (full.why_not or {}).get("possible")
    bad = generate_community(40, 5, seats=SMALL, infeasible=True)
    filtered, full = solve_both(bad, monkeypatch)
    assert filtered.status == full.status == "infeasible"
    assert filtered.explanation["conflict"] == full.explanation["conflict"]


def test_best_slate_does_not_depend_on_top(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tie-break prefers better-ranked people in every role, so slate 1 is the same whether the
    model holds the people kept for top 1 or for top 5 (or everybody)."""
    c = generate_community(200, 2, seats=SMALL)
    one = solve_slates(c, SlateOptions(**FAST, top=1))
    five = solve_slates(c, SlateOptions(**FAST, top=5))
    assert one.solver["people_in_model"] < five.solver["people_in_model"]
    assert one.to_json()["slates"][0] == five.to_json()["slates"][0]


def test_solver_reports_objective_bound_gap_and_wall_time() -> None:
    c = generate_community(40, 1)
    res = solve_slates(c, SlateOptions(**FAST))
    s = res.to_json()["solver"]
    assert s["objective"] == res.slates[0].objective
    assert s["best_bound"] == s["objective"] and s["gap"] == 0.0
    assert s["wall_time"] > 0 and s["seed"] == 0 and s["workers"] == 1 and s["time_limit"] == 20.0
