"""另行选举 (a second round): `planner slate SCENARIO --second-round ELECTED.yaml`.

Brute-force parity on small generated communities: the best team after the second round (the elected
kept, differential lists sized for the seats left, S18 over the second round's outcomes) has the same
objective as a plain enumeration (tests/brute_slate.py's slates, lists and outcomes enumerated here);
no second round -> a minimal conflict; bad round-one files exit 2 naming the file and the record.
"""

from __future__ import annotations

import json
import math
import os
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from brute_slate import PC, RC, body_ok, brute_slates, composition_ok, outcome_apart, team_objective
from helpers import SCENARIOS, community, crowd
from hypothesis import given
from hypothesis import strategies as st
from strategies import communities, parity_settings

from planner.check.second_round import Elected, check_second_round, elected_from_data
from planner.cli import main
from planner.plan import Slate
from planner.scenario import Community, ScenarioError, load_scenario
from planner.slate import SlateOptions
from planner.slate.second_round import second_round

EXAMPLE = SCENARIOS / "nuoenjiya.yaml"
EXAMPLES = int(os.environ.get("PARITY_EXAMPLES", "40")) * 3 // 8
PARITY = parity_settings(EXAMPLES)
OPTIONS = SlateOptions(time_limit=20.0, workers=1)


def _list_size(c: Community, body: str, left: int) -> int:
    """This file's reading of S17 for the seats left (exact decimals), independent of the planner's."""
    if left == 0:
        return 0
    if body == RC:
        return left + 1
    return math.ceil(Decimal(left) * (1 + Decimal(str(c.rules.differential_ratio))))


def _only(c: Community, rules: set[str]) -> Community:
    switchable = [r for r in ("S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11",
                              "S12", "S13", "S14", "S15", "S16", "S17", "S18", "S19")]  # fmt: skip
    off = [r for r in switchable if r not in rules]
    return c.model_copy(update={"rules": c.rules.model_copy(update={"disabled": off})})


def brute_second(c: Community, el: Elected, excludes: tuple[str, ...] = ()) -> int | None:
    """The best objective of a team after a second round, by enumeration (None: no second round exists)."""
    on = c.rules.on
    plain = c.model_copy(
        update={"rules": c.rules.model_copy(update={"disabled": [*c.rules.disabled, "S17", "S18"]})}
    )
    seats = {b: getattr(c.rules.seats, b) for b in (PC, RC)}
    fixed = {b: el.members(b) for b in (PC, RC, "supervisory_committee")}
    left = {b: seats[b] - len(fixed[b]) for b in (PC, RC)}
    pool = None if el.not_elected is None else set(el.not_elected)
    best: list[int] = []

    def visit(slate: Slate) -> None:
        for body, held in el.bodies.items():
            for pid, post in held:
                posts = [q for b, q in slate.post_of(pid) if b == body]
                if not posts or (post is not None and post not in posts):
                    return
        winners = {b: [p for p in slate.members(b) if p not in fixed[b]] for b in (PC, RC)}
        if pool is not None and any(p not in pool for b in (PC, RC) for p in winners[b]):
            return
        alts = {}
        for b in (PC, RC):
            alts[b] = [
                p.id
                for p in c.people
                if p.id not in excludes
                and p.id not in fixed[b]
                and p.id not in winners[b]
                and (pool is None or p.id in pool)
                and body_ok(c, p.id, b, False)
            ]
        need = {b: (_list_size(c, b, left[b]) - left[b]) if on("S17") else 0 for b in (PC, RC)}
        if any(len(alts[b]) < need[b] for b in (PC, RC)):
            return
        sc = tuple(slate.members("supervisory_committee"))
        ok = not on("S18")
        if not ok:
            for a_pc in combinations(alts[PC], need[PC]):
                for a_rc in combinations(alts[RC], need[RC]):
                    lists = {PC: [*winners[PC], *a_pc], RC: [*winners[RC], *a_rc]}
                    if all(
                        composition_ok(c, {*fixed[PC], *w_pc, *fixed[RC], *w_rc}, (*fixed[RC], *w_rc),
                                       ("S08", "S09", "S10", "S11"))
                        and outcome_apart(c, {*fixed[PC], *w_pc, *fixed[RC], *w_rc}, (*fixed[RC], *w_rc), sc)
                        for w_pc in combinations(lists[PC], left[PC])
                        for w_rc in combinations(lists[RC], left[RC])
                    ):  # fmt: skip
                        ok = True
                        break
                if ok:
                    break
        if ok:
            value = team_objective(c, frozenset(slate.team()))
            if not best or value > best[0]:
                best[:] = [value]

    must = {b: set(fixed[b]) for b in fixed}
    allowed = None if pool is None else {b: pool | set(fixed[b]) for b in (PC, RC)}
    locks: dict[str, str | None] = {}
    for body, held in el.bodies.items():  # narrows the enumeration; visit() checks every holding
        for pid, post in held:
            locks.setdefault(pid, f"{body}.{post}" if post else body)
    result = brute_slates(
        plain, excludes=list(excludes), every=visit, must=must, allowed=allowed, locks=locks
    )
    assert not result.disagreements
    return best[0] if best else None


@st.composite
def second_round_cases(draw: st.DrawFn) -> tuple[Community, Elected]:
    """A community, round one's result (part of a feasible first-round plan elected, maybe by post), maybe
    the round-one candidates not elected."""
    c = draw(communities(6, 7))
    teams = brute_slates(c).teams
    if not teams:
        c = community(
            crowd(8),
            rules={"seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1}},
        )
        teams = brute_slates(c).teams
    plans = [s for _, s in sorted(teams.values(), key=lambda v: (v[0], sorted(v[1].team())))]
    plan = plans[draw(st.integers(0, len(plans) - 1))]
    by_post = draw(st.booleans())
    bodies: dict[str, list[tuple[str, str | None]]] = {}
    for body in (PC, RC):
        held = plan.holders(body)
        keep = draw(
            st.lists(st.sampled_from(range(len(held))), unique=True, min_size=min(1, len(held) - 1),
                     max_size=len(held) - 1)
        )  # fmt: skip
        bodies[body] = [(held[i][1], held[i][0] if by_post else None) for i in sorted(keep)]
    el = Elected(community=c.id, bodies=bodies)
    if draw(st.booleans()):
        elected = {p for b in bodies.values() for p, _ in b}
        others = [p.id for p in c.people if p.id not in elected]
        el.not_elected = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    return c, el


@PARITY
@given(second_round_cases())
def test_second_round_matches_the_brute_force(case: tuple[Community, Elected]) -> None:
    c, el = case
    result = second_round(c, el, OPTIONS)
    brute = brute_second(c, el)
    why = (
        f"\nscenario: {c.model_dump_json(exclude={'schedule'})}\nelected: {el}\nresult: {result.explanation}"
    )
    if brute is None:
        assert result.status == "infeasible", why
        assert_minimal(c, el, result.explanation["conflict"], why)
        return
    assert result.status == "optimal", why
    slate = result.slates[0]
    assert slate.objective == brute, why
    assert all(ch.ok for ch in check_second_round(c, el, slate)), why
    lists = result.second_round["lists"]
    for body in (PC, RC):
        assert not set(lists[body]) & set(el.members(body)), why
        assert set(el.members(body)) <= set(slate.members(body)), why
        if el.not_elected is not None:
            assert set(lists[body]) <= set(el.not_elected), why


def assert_minimal(c: Community, el: Elected, conflict: list[str], why: str) -> None:
    """Only the conflict's rules on: no second round (solver and brute force); drop any one: one exists."""
    assert brute_second(_only(c, set(conflict)), el) is None, f"{conflict} alone is feasible{why}"
    assert second_round(_only(c, set(conflict)), el, OPTIONS).status == "infeasible", why
    for rule in conflict:
        assert brute_second(_only(c, set(conflict) - {rule}), el) is not None, (
            f"{conflict}: {rule} not needed{why}"
        )


def test_no_woman_left_for_the_seat_blames_s09() -> None:
    """Round one elected men only; the one woman withdrew (excluded): no second round meets S09."""
    c = community(
        crowd(8),
        rules={"seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1}},
    )
    el = Elected(community=c.id, bodies={PC: [("p08", None), ("p07", None)], RC: [("p08", None)]})
    result = second_round(c, el, SlateOptions(excludes=["p01"], workers=1))
    assert result.status == "infeasible"
    assert result.explanation["conflict"] == ["S09"]
    ok = second_round(c, el, OPTIONS)
    assert ok.status == "optimal" and "p01" in ok.slates[0].team()


def test_robust_second_round_keeps_relatives_apart() -> None:
    """With S18, no outcome of the second round may elect p02 next to their sibling p08 (elected)."""
    people = crowd(9, p02={"gender": "F"}, p03={"gender": "F"}, p04={"gender": "F"})
    c = community(
        people,
        rules={
            "seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1},
            "robust_list": True,
        },
        others=[{"id": "o1", "name": "父"}],
        relatives=[
            {"a": "o1", "b": "p08", "relation": "parent"},
            {"a": "o1", "b": "p09", "relation": "parent"},
        ],
    )
    el = Elected(community=c.id, bodies={PC: [("p08", None), ("p07", None)], RC: [("p08", None)]})
    result = second_round(c, el, OPTIONS)
    assert result.status == "optimal"
    assert "p09" not in result.second_round["lists"][PC] + result.second_round["lists"][RC]
    assert result.slates[0].objective == brute_second(c, el)


# ---------------------------------------------------------------- the file and the command line


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "elected.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {
    "community": "nuoenjiya",
    "elected": {
        "party_committee": ["p01", "p03", "p04"],
        "residents_committee": {"director": "p01", "member": ["p06", "p07"]},
    },
}


def test_cli_second_round_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, GOOD)
    assert main(["slate", str(EXAMPLE), "--second-round", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    second = out["second_round"]
    assert second["source"] == str(path)
    assert second["elected"]["party_committee"] == ["p01", "p03", "p04"]
    assert second["elected_posts"]["residents_committee"] == {
        "p01": "director",
        "p06": "member",
        "p07": "member",
    }
    assert second["seats_left"] == {
        "party_committee": 2,
        "residents_committee": 2,
        "supervisory_committee": 3,
    }
    assert second["list_sizes"] == {"party_committee": 3, "residents_committee": 3}
    assert len(second["lists"]["party_committee"]) == 3 and len(second["lists"]["residents_committee"]) == 3
    slate = out["slates"][0]
    assert slate["posts"]["residents_committee"]["director"] == "p01"
    assert slate["candidate_lists"] == second["lists"]
    c = load_scenario(EXAMPLE)
    el = elected_from_data(GOOD, "x", c)
    assert all(ch.ok for ch in check_second_round(c, el, Slate.from_json(slate)))
    assert main(["slate", str(EXAMPLE), "--second-round", str(path)]) == 0
    assert "另行选举" in capsys.readouterr().out
    assert main(["slate", str(EXAMPLE), "--second-round", str(path), "--lang", "en"]) == 0
    assert "seats left" in capsys.readouterr().out


def test_not_elected_limits_the_second_round_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = ["p02", "p05", "p12", "p19", "p15", "p09"]
    path = _write(tmp_path, {**GOOD, "not_elected": pool})
    assert main(["slate", str(EXAMPLE), "--second-round", str(path), "--json"]) in (0, 1)
    out = json.loads(capsys.readouterr().out)
    for names in out["second_round"]["lists"].values():
        assert set(names) <= set(pool)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({**GOOD, "elected": {"party_committee": ["p01", "p99"]}}, ["p99", "elected.party_committee[2]"]),
        (
            {**GOOD, "elected": {"party_committee": {"chair": "p01"}}},
            ["chair", "elected.party_committee.chair"],
        ),
        ({**GOOD, "elected": {"committee": ["p01"]}}, ["committee"]),
        ({**GOOD, "elected": {"party_committee": ["p01", "p01"]}}, ["p01", "elected.party_committee"]),
        (
            {**GOOD, "elected": {"residents_committee": ["p01", "p02", "p03", "p04", "p06", "p07"]}},
            ["6", "5"],
        ),
        ({**GOOD, "community": "elsewhere"}, ["elsewhere"]),
        ({**GOOD, "votes": {}}, ["votes"]),
        ({**GOOD, "not_elected": "p09"}, ["not_elected"]),
        ({"community": "nuoenjiya"}, ["elected"]),
        (["p01"], ["mapping"]),
    ],
)
def test_bad_round_one_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, words: list[str]
) -> None:
    path = _write(tmp_path, data)
    assert main(["slate", str(EXAMPLE), "--second-round", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert "第一轮结果有误" in err and "bad round-one result" in err
    for word in words:
        assert word in err


def test_every_seat_filled_is_bad_input() -> None:
    c = load_scenario(EXAMPLE)
    full = {
        "elected": {
            "party_committee": ["p01", "p02", "p03", "p04", "p12"],
            "residents_committee": ["p01", "p02", "p06", "p07", "p19"],
            "supervisory_committee": ["p04", "p03", "p10"],
        }
    }
    with pytest.raises(ScenarioError, match="every seat is filled"):
        elected_from_data(full, "x", c)


def test_second_round_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document
    from openpyxl import load_workbook

    path = _write(tmp_path, GOOD)
    out = tmp_path / "out"
    assert main(["export", str(EXAMPLE), "--out", str(out), "--top", "1", "--second-round", str(path)]) == 0
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert data["second_round"]["lists"]["party_committee"]
    assert data["audit"]["second_round"]["nuoenjiya"]["source"] == str(path)
    rows = list(load_workbook(out / "plan.xlsx")["另行选举 Second round"].iter_rows(values_only=True))
    assert any("p03" in row and "第一轮当选 elected" in row for row in rows)
    text = "\n".join(p.text for p in Document(str(out / "plan.docx")).paragraphs)
    assert "另行选举候选人名单" in text
    capsys.readouterr()


def test_second_round_of_a_by_election_keeps_the_sitting_members(tmp_path: Path) -> None:
    """补选 then 另行选举: the sitting members keep their posts and sit on no list; round one filled the
    secretary's vacancy (p21), so only the residents' committee vacancies are elected again."""
    scenario = SCENARIOS / "hongqi-by-election.yaml"
    c = load_scenario(scenario)
    assert isinstance(c, Community) and c.sitting()
    el = elected_from_data({"elected": {"party_committee": {"secretary": "p21"}}}, "x", c)
    assert el.newly_elected("party_committee") == ["p21"]
    result = second_round(c, el, OPTIONS)
    assert result.status == "optimal", result.explanation
    second = result.second_round
    assert second["seats_left"]["party_committee"] == 0 and second["lists"]["party_committee"] == []
    left = second["seats_left"]["residents_committee"]
    assert left == len(c.vacant("residents_committee")) > 0
    assert len(second["lists"]["residents_committee"]) == left + 1
    slate = result.slates[0]
    for pid, posts in c.sitting().items():
        for body, post in posts.items():
            assert (body, post) in slate.post_of(pid)
            assert pid not in second["lists"].get(body, [])
    assert slate.posts.party_committee.secretary == "p21"
    assert all(ch.ok for ch in slate.checks)
