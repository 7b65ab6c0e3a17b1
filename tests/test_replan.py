"""Re-planning with the least change from an adopted plan (`planner slate --base PLAN.json --event ...`).

Brute-force parity on small generated communities: the solver's lexicographic values (people moved,
posts changed, objective) are the brute force's lexicographic best over every feasible slate; the
change list says exactly what differs between the base and the new slate; no slate left -> a minimal
conflict; bad base files exit 2 naming the file and the record in Chinese and English.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from brute_slate import brute_slates
from helpers import SCENARIOS, assert_minimal_conflict, community, crowd
from hypothesis import given
from hypothesis import strategies as st
from strategies import communities, parity_settings

from planner.check import check_slate, slate_objective
from planner.check.replan import count_changes, holdings
from planner.cli import main
from planner.plan import Slate
from planner.scenario import Community, load_scenario
from planner.slate import SlateOptions, solve_slates
from planner.slate.replan import Event, apply_events, parse_event, replan

EXAMPLE = SCENARIOS / "nuoenjiya.yaml"
EXAMPLES = int(os.environ.get("PARITY_EXAMPLES", "40")) * 3 // 8
PARITY = parity_settings(EXAMPLES)
OPTIONS = SlateOptions(time_limit=20.0, workers=1)


def brute_best(c: Community, base: Slate, excludes: list[str]) -> tuple[int, int, int] | None:
    """The lexicographic best (people moved, posts changed, objective) over every feasible slate."""
    best: list[tuple[int, int, int]] = []

    def visit(slate: Slate) -> None:
        n = count_changes(base, slate)
        key = (n.people_moved, n.posts_changed, -slate_objective(c, slate))
        if not best or key < best[0]:
            best[:] = [key]

    result = brute_slates(c, excludes=excludes, every=visit)
    assert not result.disagreements
    if not best:
        return None
    moved, changed, neg = best[0]
    return moved, changed, -neg


@st.composite
def replan_cases(draw: st.DrawFn) -> tuple[Community, Slate, list[Event]]:
    """A community, a feasible base slate of it (any feasible team, not only the best) and one or two events."""
    c = draw(communities(6, 8))
    teams = brute_slates(c).teams
    if not teams:
        c = community(
            crowd(8),
            rules={"seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1}},
        )
        teams = brute_slates(c).teams
    slates = [slate for _, slate in sorted(teams.values(), key=lambda v: (v[0], sorted(v[1].team())))]
    base = slates[draw(st.integers(0, len(slates) - 1))]
    held = sorted({pid for pid, _, _ in holdings(base)})
    who = draw(st.lists(st.sampled_from(held), min_size=1, max_size=2, unique=True))
    kinds = [draw(st.sampled_from(["withdrew", "failed_review", "not_elected"])) for _ in who]
    return c, base, [Event(p, k) for p, k in zip(who, kinds, strict=True)]


@PARITY
@given(replan_cases())
def test_fewest_changes_match_the_brute_force(case: tuple[Community, Slate, list[Event]]) -> None:
    c, base, events = case
    result = replan(c, base, OPTIONS, events)
    changed, excluded, _ = apply_events(c, events, base)
    brute = brute_best(changed, base, excluded)
    why = f"\nscenario: {c.model_dump_json(exclude={'schedule'})}\nbase: {base.posts}\nevents: {events}"
    if brute is None:
        assert result.status == "infeasible", why
        assert_minimal_conflict(changed, result.explanation["conflict"], {}, excluded, False, why)
        return
    assert result.status == "optimal", why
    slate = result.slates[0]
    levels = (result.base["people_moved"], result.base["posts_changed"], slate.objective)
    assert levels == brute, why
    assert all(ch.ok for ch in check_slate(changed, slate)), why
    assert_change_list(result.changes, base, slate)


def assert_change_list(changes: list[dict], base: Slate, new: Slate) -> None:
    """The change list is exactly the difference: one entry per moved person, per post changed, per list."""
    count = count_changes(base, new)
    moved = [ch["person"] for ch in changes if ch["kind"] == "moved"]
    assert moved == list(count.moved)
    before, after = holdings(base), holdings(new)
    lost = sorted((b, q, p) for p, b, q in before - after)
    came = sorted((b, q, p) for p, b, q in after - before)
    posts = [ch for ch in changes if ch["kind"] == "post"]
    assert sorted((ch["body"], ch["post"], ch["before"]) for ch in posts if ch["before"]) == lost
    assert sorted((ch["body"], ch["post"], ch["after"]) for ch in posts if ch["after"]) == came
    for ch in changes:
        assert ch["zh"] and ch["en"] and ch["zh"] != ch["en"]
        if ch["kind"] == "moved":
            assert ch["reason"]["zh"] and ch["reason"]["en"]
            assert sorted(map(tuple, ch["to"])) == sorted(new.post_of(ch["person"]))


def example_base() -> tuple[Community, Slate]:
    c = load_scenario(EXAMPLE)
    assert isinstance(c, Community)
    return c, solve_slates(c, OPTIONS).slates[0]


def test_no_event_changes_nothing() -> None:
    c, base = example_base()
    result = replan(c, base, OPTIONS, [])
    assert result.status == "optimal"
    assert result.changes == []
    assert result.slates[0].posts == base.posts
    assert (result.base["people_moved"], result.base["posts_changed"]) == (0, 0)


def test_failed_review_moves_only_that_person_and_says_why() -> None:
    c, base = example_base()
    who = base.posts.party_committee.deputy_secretary
    result = replan(c, base, OPTIONS, [Event(who, "failed_review")])
    assert result.base["people_moved"] == 1
    moved = [ch for ch in result.changes if ch["kind"] == "moved"]
    assert [m["person"] for m in moved] == [who]
    assert moved[0]["reason"]["kind"] == "event" and moved[0]["reason"]["event"] == "failed_review"
    assert "未通过资格联审" in moved[0]["zh"] and "failed the joint review" in moved[0]["en"]
    assert who not in result.slates[0].team()
    assert_change_list(result.changes, base, result.slates[0])


def test_a_rule_that_forces_a_second_move_is_named() -> None:
    """Only p01 and p02 meet S06 (the others are too old). The adopted plan has p02 secretary and director
    and p01 a residents' committee member; p02 withdraws, so p01 moves up: keeping p01 in place would
    break S02 and S06 together (a minimal conflict), which the change list says."""
    old = {"birth_date": "1960-01-01"}
    overrides = {f"p{i:02d}": {**old, "gender": "F"} for i in range(3, 10)}
    c = community(
        crowd(9, **overrides),
        rules={"seats": {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 1}},
    )
    locks = {"p01": "residents_committee.member", "p02": "party_committee.secretary"}
    base = solve_slates(c, SlateOptions(locks=locks, workers=1)).slates[0]
    result = replan(c, base, OPTIONS, [Event("p02", "withdrew")])
    new = result.slates[0]
    assert new.posts.party_committee.secretary == "p01" == new.posts.residents_committee.director
    moved = {m["person"]: m for m in result.changes if m["kind"] == "moved"}
    assert moved["p02"]["reason"]["kind"] == "event"
    assert moved["p01"]["reason"]["kind"] == "rule"
    assert moved["p01"]["reason"]["rules"] == ["S02", "S06"]
    assert "S02" in moved["p01"]["zh"] and "S06" in moved["p01"]["en"]
    assert result.base["people_moved"] == 2
    assert_change_list(result.changes, base, new)


def test_nothing_feasible_left_gives_the_minimal_conflict() -> None:
    people = crowd(8)  # p01 is the only woman
    c = community(
        people,
        rules={"seats": {"party_committee": 3, "residents_committee": 2, "supervisory_committee": 1}},
    )
    base = solve_slates(c, OPTIONS).slates[0]
    assert "p01" in base.team()
    result = replan(c, base, OPTIONS, [Event("p01", "withdrew")])
    assert result.status == "infeasible"
    assert result.explanation["conflict"] == ["S09"]
    assert result.slates == []


def test_not_elected_bars_only_the_bodies_held() -> None:
    c, base = example_base()
    rc_only = next(p for p in base.members("residents_committee") if p not in base.members("party_committee"))
    changed, excluded, said = apply_events(c, [Event(rc_only, "not_elected")], base)
    assert excluded == []
    assert "residents_committee" not in (changed.person[rc_only].stands_for or [])
    assert "未当选" in said[0].zh and "not elected" in said[0].en


def test_parse_event() -> None:
    assert parse_event("p07=withdrew") == Event("p07", "withdrew")
    for bad in ("p07", "p07=left", "=withdrew"):
        with pytest.raises(ValueError, match="failed_review"):
            parse_event(bad)


# ---------------------------------------------------------------- command line


def test_cli_base_and_event_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    assert main(["slate", str(EXAMPLE), "--json"]) == 0
    plan.write_text(capsys.readouterr().out, encoding="utf-8")
    base = json.loads(plan.read_text(encoding="utf-8"))["slates"][0]
    who = base["posts"]["party_committee"]["deputy_secretary"]
    assert main(["slate", str(EXAMPLE), "--base", str(plan), "--event", f"{who}=withdrew", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["base"]["source"] == str(plan)
    assert out["base"]["slate"]["posts"] == base["posts"]
    assert out["base"]["events"][0]["event"] == "withdrew"
    assert out["base"]["people_moved"] == 1
    assert [ch["person"] for ch in out["changes"] if ch["kind"] == "moved"] == [who]
    # the re-planned output can itself be adopted: nothing left to change
    again = tmp_path / "again.json"
    again.write_text(json.dumps(out), encoding="utf-8")
    assert main(["slate", str(EXAMPLE), "--base", str(again), "--exclude", who, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []
    # the text report carries the section in both languages
    assert main(["slate", str(EXAMPLE), "--base", str(plan), "--event", f"{who}=withdrew"]) == 0
    assert "调整说明" in capsys.readouterr().out
    assert (
        main(["slate", str(EXAMPLE), "--base", str(plan), "--event", f"{who}=withdrew", "--lang", "en"]) == 0
    )
    assert "Changes from the adopted plan" in capsys.readouterr().out


def test_cli_exported_plan_json_is_a_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["export", str(EXAMPLE), "--out", str(out), "--top", "1"]) == 0
    capsys.readouterr()
    assert main(["slate", str(EXAMPLE), "--base", str(out / "plan.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []


def _bad_base(tmp_path: Path, data: object, name: str = "base.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["slates"][0]["posts"]["party_committee"].update(secretary="p99"), ["p99", "slates[0]"]),
        (lambda d: d["slates"][0]["posts"]["party_committee"].update(chair="p01"), ["chair", "slates[0]"]),
        (lambda d: d.update(scenario="elsewhere"), ["elsewhere", "scenario"]),
        (
            lambda d: d["slates"][0]["candidate_lists"]["residents_committee"].append("zz"),
            ["zz", "slates[0]"],
        ),
        (lambda d: d.update(slates=[]), ["slates"]),
    ],
)
def test_bad_base_exits_2_naming_file_and_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate, words: list[str]
) -> None:
    assert main(["slate", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    mutate(data)
    path = _bad_base(tmp_path, data)
    assert main(["slate", str(EXAMPLE), "--base", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert "基础方案有误" in err and "bad base plan" in err
    for word in words:
        assert word in err


def test_bad_event_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--event", "p99=withdrew"]) == 2
    assert "p99" in capsys.readouterr().err
    assert main(["slate", str(EXAMPLE), "--event", "p01=moved"]) == 2
    assert "withdrew" in capsys.readouterr().err


def test_sub_district_plan_per_community(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sub = SCENARIOS / "daqintala.yaml"
    assert main(["slate", str(sub), "--json", "--time-limit", "20"]) in (0, 1)
    path = _bad_base(tmp_path, json.loads(capsys.readouterr().out))
    assert main(["slate", str(sub), "--base", str(path), "--json", "--time-limit", "20"]) in (0, 1)
    out = json.loads(capsys.readouterr().out)
    for entry in out["communities"].values():
        if entry["slates"]:
            assert entry["changes"] == []


def test_exports_carry_the_changes_and_the_audit_records_base_and_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document
    from openpyxl import load_workbook

    plan = tmp_path / "adopted.json"
    assert main(["slate", str(EXAMPLE), "--json"]) == 0
    plan.write_text(capsys.readouterr().out, encoding="utf-8")
    who = json.loads(plan.read_text(encoding="utf-8"))["slates"][0]["posts"]["party_committee"][
        "deputy_secretary"
    ]
    out = tmp_path / "out"
    args = ["export", str(EXAMPLE), "--out", str(out), "--top", "1", "--base", str(plan)]
    assert main([*args, "--event", f"{who}=withdrew"]) == 0
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert data["base"]["source"] == str(plan)
    assert [ch["person"] for ch in data["changes"] if ch["kind"] == "moved"] == [who]
    assert data["audit"]["base"]["nuoenjiya"] == {"source": str(plan), "events": [f"{who}=withdrew"]}
    sheet = load_workbook(out / "plan.xlsx")["调整说明 Changes"]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert any(who in v and "本人退出" in v for v in cells)
    assert any("withdrew" in v for v in cells)
    text = "\n".join(p.text for p in Document(str(out / "plan.docx")).paragraphs)
    assert "调整说明（与采用方案相比）" in text and "本人退出" in text
    # a failed joint review is a review result: withheld unless sensitive details are asked for
    assert main([*args, "--event", f"{who}=failed_review", "--force"]) == 0
    raw = (out / "plan.json").read_text(encoding="utf-8")
    assert "failed_review" not in raw and "未通过资格联审" not in raw
    assert main([*args, "--event", f"{who}=failed_review", "--force", "--include-sensitive"]) == 0
    assert "未通过资格联审" in (out / "plan.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(EXAMPLE), str(out / "plan.json")]) == 0


def test_a_person_moved_for_the_least_change_says_what_keeping_them_costs() -> None:
    """Only p01, p02, p03 meet S06. p01 (secretary and director) withdraws; p02 (deputy secretary) or p03
    (deputy director, also on the Party committee, S12) must succeed under S02. Both move two people, but
    moving p02 changes 3 posts and moving p03 4: p02 moves, and the change list says keeping p02 would
    change 4 posts instead of 3."""
    old = {"birth_date": "1960-01-01", "gender": "F"}
    c = community(
        crowd(10, **{f"p{i:02d}": old for i in range(4, 11)}),
        rules={"seats": {"party_committee": 4, "residents_committee": 3, "supervisory_committee": 1}},
    )
    locks = {
        "p01": "party_committee.secretary",
        "p02": "party_committee.deputy_secretary",
        "p03": "residents_committee.deputy_director",
    }
    base = solve_slates(c, SlateOptions(locks=locks, workers=1)).slates[0]
    assert base.posts.residents_committee.director == "p01" and "p03" in base.members("party_committee")
    result = replan(c, base, OPTIONS, [Event("p01", "withdrew")])
    assert (result.base["people_moved"], result.base["posts_changed"]) == (2, 3)
    moved = {m["person"]: m for m in result.changes if m["kind"] == "moved"}
    assert set(moved) == {"p01", "p02"}
    reason = moved["p02"]["reason"]
    assert reason["kind"] == "least_change"
    assert reason["if_kept"]["people_moved"] == 2 and reason["if_kept"]["posts_changed"] == 4
    assert "4" in reason["en"] and "3" in reason["en"] and "职务" in reason["zh"]
    assert_change_list(result.changes, base, result.slates[0])
