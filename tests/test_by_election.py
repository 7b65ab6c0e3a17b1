"""By-elections (补选, SCENARIO.md "By-elections"): the sitting members keep their posts, only the vacancies
are filled, and every slate rule holds for the resulting team. Strict validation, checker ok/violated
pairs for the by-election constraints, the model against a brute force that enumerates the fills of the
vacancies with the sitting members fixed, the bundled example and the command line."""

from __future__ import annotations

import copy
import json
import os
from itertools import combinations, permutations
from typing import Any

import pytest
from brute_slate import body_ok, close_pairs
from helpers import SCENARIOS, _only_rules, community, person
from hypothesis import given
from hypothesis import strategies as st
from strategies import SWITCHABLE, parity_settings, people_dicts, relatives_dicts

from planner.check import check_slate, slate_objective
from planner.cli import main
from planner.issues import ScenarioError
from planner.plan import Slate
from planner.scenario import BODIES, POSTS, PREFERRED_TAGS, Community, load_scenario
from planner.slate import SlateOptions, solve_slates

PC, RC, SC = "party_committee", "residents_committee", "supervisory_committee"
EXAMPLE = SCENARIOS / "hongqi-by-election.yaml"
SMALL = {"seats": {PC: 3, RC: 3, SC: 2}}
# A sitting team of the small seats: p01 secretary and director, p02 deputy secretary and deputy director,
# p03 inspector and supervisory director, p04 residents' member, p05 supervisory member.
SITTING = {
    "p01": [f"{PC}.secretary", f"{RC}.director"],
    "p02": [f"{PC}.deputy_secretary", f"{RC}.deputy_director"],
    "p03": [f"{PC}.discipline_inspector", f"{SC}.director"],
    "p04": [f"{RC}.member"],
    "p05": [f"{SC}.member"],
}


def people(n: int = 9, leave: tuple[str, ...] = (), **overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """p01..pNN, the sitting posts of SITTING except those of `leave` (who left: their posts are vacant)."""
    out = []
    for i in range(1, n + 1):
        pid = f"p{i:02d}"
        fields: dict[str, Any] = {"support": 40 + i, "gender": "F" if i in (1, 4, 8) else "M"}
        if pid in SITTING and pid not in leave:
            fields["incumbent"] = SITTING[pid]
        fields.update(overrides.get(pid, {}))
        out.append(person(pid, **fields))
    return out


def by_election(vacancies: list[str], leave: tuple[str, ...] = (), n: int = 9, **fields: Any) -> Community:
    overrides = fields.pop("overrides", {})
    fields.setdefault("rules", SMALL)
    return community(people(n, leave, **overrides), election="by_election", vacancies=vacancies, **fields)


# ---------------------------------------------------------------- validation


def issues_of(data_vacancies: Any, leave: tuple[str, ...] = (), election: str = "by_election", **kw: Any):
    with pytest.raises(ScenarioError) as exc:
        community(
            people(9, leave, **kw.pop("overrides", {})),
            election=election,
            vacancies=data_vacancies,
            rules=SMALL,
            **kw,
        )
    return exc.value.issues


def test_a_consistent_by_election_loads() -> None:
    c = by_election([f"{PC}.secretary", f"{RC}.director"], leave=("p01",))
    assert c.by_election and c.vacant(PC) == ["secretary"] and c.vacant(RC) == ["director"]
    assert c.to_fill(PC) == 1 and c.to_fill(RC) == 1 and c.to_fill(SC) == 0
    assert c.list_size(PC) == 2 and c.list_size(RC) == 2 and c.list_size(SC) == 0
    assert c.sitting()["p02"] == {PC: "deputy_secretary", RC: "deputy_director"}
    assert c.sitting_team() == {"p02", "p03", "p04"}


def test_vacancies_without_a_by_election_are_bad_input() -> None:
    [i] = issues_of([f"{PC}.secretary"], leave=("p01",), election="full")
    assert i.field == "vacancies" and "election is full" in i.message and "补选" in i.message_zh


def test_a_by_election_without_vacancies_is_bad_input() -> None:
    [i] = issues_of([])
    assert i.field == "vacancies" and "needs the vacant posts" in i.message and "空缺" in i.message_zh


def test_a_post_both_vacant_and_held_is_bad_input() -> None:
    found = issues_of([f"{PC}.secretary", f"{RC}.director"])  # p01 still holds both
    assert {i.record for i in found} == {"person #1 (id p01)"}
    assert all(i.field == "incumbent" and "listed as vacant" in i.message for i in found)
    assert all("列为空缺" in i.message_zh and "第1位人员" in i.record_zh for i in found)


def test_a_post_neither_vacant_nor_held_is_bad_input() -> None:
    found = issues_of([f"{PC}.secretary"], leave=("p01",))  # the director's post is left unaccounted for
    [i] = found
    assert "residents_committee.director" in i.message and "neither vacant nor held" in i.message
    assert "既未列为空缺" in i.message_zh and i.field == "vacancies"


def test_member_seats_must_add_up() -> None:
    [i] = issues_of([f"{RC}.member", f"{RC}.member"], leave=("p04",))  # one member seat, two listed
    assert "1 member seats" in i.message and "2 vacant member seats" in i.message
    assert "委员席位" in i.message_zh


def test_unknown_post_and_two_posts_of_one_body() -> None:
    found = issues_of([f"{PC}.mayor"], leave=("p01",))
    assert any(i.field.startswith("vacancies") and "mayor" in i.message for i in found)
    found = issues_of(
        [f"{PC}.secretary", f"{RC}.director"],
        leave=("p01",),
        overrides={"p06": {"incumbent": [f"{PC}.member", f"{PC}.secretary"]}},
    )
    assert any(i.record == "person #6 (id p06)" and "two posts" in i.message for i in found)


def test_bad_corpus_file_names_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SCENARIOS / "bad" / "by_election_vacant_and_held.yaml")]) == 2
    err = capsys.readouterr().err
    assert "incumbent" in err and "Traceback" not in err and "listed as vacant" in err and "line 12" in err
    with pytest.raises(ScenarioError) as exc:
        load_scenario(SCENARIOS / "bad" / "by_election_vacant_and_held.yaml")
    assert all("列为空缺" in i.message_zh and i.line == 12 for i in exc.value.issues)


# ---------------------------------------------------------------- the checker on by-election slates


def slate(
    *,
    sec: str = "p06",
    director: str = "p06",
    pc_list: list[str] | None = None,
    rc_list: list[str] | None = None,
) -> Slate:
    """The sitting team with p01's posts (secretary, director) filled."""
    return Slate.model_validate(
        {
            "posts": {
                PC: {
                    "secretary": sec,
                    "deputy_secretary": "p02",
                    "discipline_inspector": "p03",
                    "member": [],
                },
                RC: {"director": director, "deputy_director": "p02", "member": ["p04"]},
                SC: {"director": "p03", "member": ["p05"]},
            },
            "candidate_lists": {
                PC: pc_list if pc_list is not None else sorted({sec, "p07"}),
                RC: rc_list if rc_list is not None else sorted({director, "p07"}),
            },
        }
    )


def fails(c: Community, s: Slate) -> dict[str, Any]:
    return {ch.rule: ch for ch in check_slate(c, s) if not ch.ok}


SECRETARY_VACANT = [f"{PC}.secretary", f"{RC}.director"]


def test_filling_the_vacancies_passes() -> None:
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    assert fails(c, slate()) == {}
    assert slate_objective(c, slate()) == 46  # only the newcomer p06 counts (support 46)


def test_a_sitting_member_moved_breaks_S01() -> None:
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    moved = slate()
    moved.posts.residents_committee.member = ["p08"]  # p04 dropped from their post
    bad = fails(c, moved)
    assert "S01" in bad and "p04" in bad["S01"].people and "keeps that post" in bad["S01"].detail_en


def test_S02_when_the_secretary_is_vacant() -> None:
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    bad = fails(c, slate(sec="p06", director="p07", pc_list=["p06", "p08"], rc_list=["p07", "p08"]))
    assert set(bad) == {"S02"}


def test_S12_when_the_deputy_director_is_vacant() -> None:
    """p02 left: a newcomer deputy director must also be on the Party committee (deputy secretary there)."""
    c = by_election([f"{PC}.deputy_secretary", f"{RC}.deputy_director"], leave=("p02",))
    good = slate(sec="p01", director="p01", pc_list=[], rc_list=[])
    good.posts.party_committee.deputy_secretary = "p06"
    good.posts.residents_committee.deputy_director = "p06"
    good.candidate_lists = {PC: ["p06", "p07"], RC: ["p06", "p07"]}
    assert fails(c, good) == {}
    apart = good.model_copy(deep=True)
    apart.posts.residents_committee.deputy_director = "p07"
    apart.candidate_lists = {PC: ["p06", "p08"], RC: ["p07", "p08"]}
    assert set(fails(c, apart)) == {"S12"}


def test_S13_when_the_inspector_is_vacant() -> None:
    """p03 (inspector and supervisory director) left both posts: the new inspector must be the new supervisory
    director; the sitting p05 (a supervisory member) cannot be made director."""
    c = by_election([f"{PC}.discipline_inspector", f"{SC}.director"], leave=("p03",))
    good = slate(sec="p01", director="p01", pc_list=[], rc_list=[])
    good.posts.party_committee.discipline_inspector = "p06"
    good.posts.supervisory_committee.director = "p06"
    good.candidate_lists = {PC: ["p06", "p07"], RC: []}
    assert fails(c, good) == {}
    apart = good.model_copy(deep=True)
    apart.posts.supervisory_committee.director = "p07"
    assert set(fails(c, apart)) == {"S13"}


def test_quotas_count_the_sitting_members() -> None:
    """S09: p01 and p04 (women) sit; with p04 kept, a man may fill p01's posts; if p04's seat is also vacant
    and filled by a man, the team has no woman."""
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    assert "S09" not in fails(
        c, slate(sec="p07", director="p07", pc_list=["p07", "p09"], rc_list=["p07", "p09"])
    )
    c2 = by_election([*SECRETARY_VACANT, f"{RC}.member"], leave=("p01", "p04"))
    manly = slate(sec="p07", director="p07", pc_list=["p07", "p09"], rc_list=["p06", "p07", "p09"])
    manly.posts.residents_committee.member = ["p06"]
    bad = fails(c2, manly)
    assert set(bad) == {"S09"} and "0" in bad["S09"].detail_en


def test_recusal_against_a_sitting_member() -> None:
    spouses = [{"a": "p04", "b": "p06", "relation": "spouse"}]  # p04 sits on the residents' committee
    c = by_election(SECRETARY_VACANT, leave=("p01",), relatives=spouses)
    bad = fails(c, slate())
    assert set(bad) == {"S07"} and set(bad["S07"].people) == {"p04", "p06"}
    assert fails(c, slate(sec="p07", director="p07", pc_list=["p07", "p08"], rc_list=["p07", "p08"])) == {}


def test_S14_a_sitting_supervisory_member_cannot_fill_a_residents_seat() -> None:
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    bad = fails(c, slate(sec="p05", director="p05", pc_list=["p05", "p07"], rc_list=["p05", "p07"]))
    assert "S14" in bad and bad["S14"].people == ["p05"]


def test_S17_lists_cover_the_vacancies_and_not_the_sitting() -> None:
    c = by_election(SECRETARY_VACANT, leave=("p01",))
    short = fails(c, slate(pc_list=["p06"]))
    assert set(short) == {"S17"} and "needs at least 2" in short["S17"].detail_en
    seated = fails(c, slate(rc_list=["p02", "p06"]))  # p02 sits there: not a candidate
    assert set(seated) == {"S17"} and "p02" in seated["S17"].people


def test_S18_robust_lists_with_a_sitting_relative() -> None:
    """The Party list's alternate p07 is p02's sibling: if p07 beats p06, p02 and p07 would both sit."""
    siblings = [{"a": "p02", "b": "p07", "relation": "sibling"}]
    c = by_election(
        SECRETARY_VACANT, leave=("p01",), relatives=siblings, rules={**SMALL, "robust_list": True}
    )
    bad = fails(c, slate(pc_list=["p06", "p07"], rc_list=["p06", "p08"]))
    assert set(bad) == {"S18"} and "S07" in bad["S18"].detail
    assert fails(c, slate(pc_list=["p06", "p08"], rc_list=["p06", "p08"])) == {}


def test_S18_two_relatives_for_a_single_vacancy_cannot_both_win() -> None:
    """One residents' member seat vacant: siblings p06 and p07 on its list cannot both be elected (S18 ok);
    the model keeps them and parity with the brute force holds."""
    siblings = [{"a": "p06", "b": "p07", "relation": "sibling"}]
    only_them = {x: {"stands_for": [PC]} for x in ("p04", "p08", "p09")}  # p06, p07: the only hopefuls
    c = by_election(
        [f"{RC}.member"],
        leave=("p04",),
        relatives=siblings,
        rules={**SMALL, "robust_list": True},
        overrides=only_them,
    )
    single = Slate.model_validate(
        {
            "posts": {
                PC: {
                    "secretary": "p01",
                    "deputy_secretary": "p02",
                    "discipline_inspector": "p03",
                    "member": [],
                },
                RC: {"director": "p01", "deputy_director": "p02", "member": ["p07"]},
                SC: {"director": "p03", "member": ["p05"]},
            },
            "candidate_lists": {PC: [], RC: ["p06", "p07"]},
        }
    )
    assert fails(c, single) == {}
    assert_by_election_parity(c)
    assert solve_slates(c, SlateOptions(workers=1)).slates[0].candidate_lists[RC] == ["p06", "p07"]


def test_a_supervisory_only_by_election_needs_no_lists() -> None:
    """Only a supervisory seat vacant: no Party or residents' vote, so no candidate list is needed."""
    c = by_election([f"{SC}.member"], leave=("p05",))
    s = Slate.model_validate(
        {
            "posts": {
                PC: {
                    "secretary": "p01",
                    "deputy_secretary": "p02",
                    "discipline_inspector": "p03",
                    "member": [],
                },
                RC: {"director": "p01", "deputy_director": "p02", "member": ["p04"]},
                SC: {"director": "p03", "member": ["p09"]},
            }
        }
    )
    assert fails(c, s) == {} and slate_objective(c, s) == 0  # nobody new in the team
    result = solve_slates(c, SlateOptions(workers=1))
    assert result.slates[0].candidate_lists == {PC: [], RC: []} and result.slates[0].objective == 0


def test_S05_and_S15_apply_to_newcomers_only() -> None:
    """A sitting member whose joint review is not on file and who stands for nothing keeps their post; a
    newcomer without a passed review cannot fill the vacancy."""
    over = {"p04": {"joint_review": "not_submitted", "stands_for": []}, "p06": {"joint_review": "failed"}}
    c = by_election(SECRETARY_VACANT, leave=("p01",), overrides=over)
    bad = fails(c, slate())
    assert set(bad) == {"S05", "S17"} and bad["S05"].people == ["p06"]
    assert fails(c, slate(sec="p07", director="p07", pc_list=["p07", "p08"], rc_list=["p07", "p08"])) == {}


# ---------------------------------------------------------------- brute force: every fill of the vacancies


def brute_fills(c: Community) -> dict[frozenset[str], int]:
    """Every feasible team of the by-election (sitting members fixed, vacancies filled every possible way,
    lists of every possible alternates), judged by the solver-free checker, with its objective computed
    here (newcomers' support + 5 per preferred tag + continuity)."""
    sitting = c.sitting()
    seated_team = {pid for pid, posts in sitting.items() if set(posts) & {PC, RC}}
    ids = [p.id for p in c.people]
    no_lists = c.model_copy(
        update={"rules": c.rules.model_copy(update={"disabled": [*c.rules.disabled, "S17", "S18"]})}
    )
    fills: dict[str, list[dict[str, Any]]] = {}
    for body in BODIES:
        vacant = c.vacant(body)
        singles = [q for q in vacant if q != "member"]
        n_members = vacant.count("member")
        free = [x for x in ids if body not in sitting.get(x, {})]
        options = []
        for who in permutations(free, len(singles)):
            rest = [x for x in free if x not in who]
            for members in combinations(rest, n_members):
                options.append({"single": dict(zip(singles, who, strict=True)), "members": list(members)})
        fills[body] = options
    found: dict[frozenset[str], int] = {}
    w = c.rules.weights

    def objective(team: set[str]) -> int:
        total = 0
        for x in team - seated_team:
            p = c.person[x]
            total += w.support * p.support + w.preferred_source * len(set(p.tags) & set(PREFERRED_TAGS))
            total += w.continuity * (1 if p.incumbent else 0)
        return total

    for f_pc in fills[PC]:
        for f_rc in fills[RC]:
            for f_sc in fills[SC]:
                posts: dict[str, dict[str, Any]] = {
                    b: {q: None for q in POSTS[b]} | {"member": []} for b in BODIES
                }
                chosen = {PC: f_pc, RC: f_rc, SC: f_sc}
                for pid, held in sitting.items():
                    for body, post in held.items():
                        if post == "member":
                            posts[body]["member"].append(pid)
                        else:
                            posts[body][post] = pid
                for body, f in chosen.items():
                    posts[body].update(f["single"])
                    posts[body]["member"] += f["members"]
                new = {b: [*chosen[b]["single"].values(), *chosen[b]["members"]] for b in (PC, RC)}
                team = frozenset(
                    x for b in (PC, RC) for x in [*new[b]] + [p for p, h in sitting.items() if b in h]
                )
                if team in found:
                    continue
                base = Slate.model_validate(
                    {"posts": posts, "candidate_lists": {b: new[b] for b in (PC, RC)}}
                )
                if any(not ch.ok for ch in check_slate(no_lists, base)):
                    continue
                alternates = {}
                for b in (PC, RC):
                    extra = c.list_size(b) - c.to_fill(b) if c.rules.on("S17") else 0
                    pool = [
                        x
                        for x in ids
                        if x not in new[b] and b not in sitting.get(x, {}) and body_ok(c, x, b, False)
                    ]
                    alternates[b] = list(combinations(pool, extra))
                for a_pc in alternates[PC]:
                    for a_rc in alternates[RC]:
                        s = base.model_copy(deep=True)
                        s.candidate_lists = {PC: [*new[PC], *a_pc], RC: [*new[RC], *a_rc]}
                        if all(ch.ok for ch in check_slate(c, s)):
                            found[team] = objective(set(team))
                            assert slate_objective(c, s) == found[team]
                            break
                    if team in found:
                        break
    return found


def assert_by_election_parity(c: Community, top: int = 2, minimal: bool = True) -> None:
    brute = brute_fills(c)
    result = solve_slates(c, SlateOptions(top=top, workers=1, time_limit=20))
    why = f"\n{c.model_dump_json(exclude={'schedule'})}\nbrute {sorted(brute.values(), reverse=True)[:top]}"
    if not brute:
        assert result.status == "infeasible", why + f"\nsolver {[s.objective for s in result.slates]}"
        conflict = result.explanation["conflict"]
        if minimal:  # SCENARIO.md: only the conflict's rules on, no slate; any one of them off, a slate
            assert not brute_fills(_only_rules(c, set(conflict))), f"{conflict} alone is feasible{why}"
            for r in conflict:
                assert brute_fills(_only_rules(c, set(conflict) - {r})), f"{conflict} without {r}{why}"
        return
    assert result.status == "optimal", why
    assert [s.objective for s in result.slates] == sorted(brute.values(), reverse=True)[:top], why
    sitting = c.sitting()
    for s in result.slates:
        assert frozenset(s.team()) in brute, why
        for pid, posts in sitting.items():  # the sitting members are fixed
            assert all((body, post) in s.post_of(pid) for body, post in posts.items()), why


def test_parity_secretary_and_director_vacant() -> None:
    assert_by_election_parity(by_election(SECRETARY_VACANT, leave=("p01",), n=8))


def test_parity_with_recusal_against_sitting_members() -> None:
    rels = [
        {"a": "p02", "b": "p08", "relation": "sibling"},  # the best newcomer is a sitting member's sibling
        {"a": "p05", "b": "p07", "relation": "spouse"},  # and the next the spouse of a supervisory member
    ]
    assert_by_election_parity(by_election(SECRETARY_VACANT, leave=("p01",), n=8, relatives=rels))


def test_parity_several_bodies_and_robust_lists() -> None:
    c = by_election(
        [f"{PC}.discipline_inspector", f"{SC}.director", f"{RC}.member"],
        leave=("p03", "p04"),
        n=8,
        rules={**SMALL, "robust_list": True},
        previous_term={"college_share": 0.5, "rc_party_share": 0.5},
        overrides={"p07": {"education": "high_school"}, "p08": {"party_member": False, "party_joined": None}},
    )
    assert_by_election_parity(c)


def test_infeasible_by_election_is_explained() -> None:
    """Every newcomer who could be secretary is a close relative of a sitting member: S07 (with S02/S06
    or the seats) is in the minimal conflict and the message says it is a by-election."""
    rels = [{"a": "p02", "b": x, "relation": "sibling"} for x in ("p06", "p07")]
    c = by_election(
        SECRETARY_VACANT,
        leave=("p01",),
        n=7,
        relatives=rels,
        overrides={"p01": {"stands_for": []}, "p05": {"stands_for": [SC]}},
    )
    assert brute_fills(c) == {}
    result = solve_slates(c, SlateOptions(workers=1))
    assert result.status == "infeasible" and "S07" in result.explanation["conflict"]
    assert "补选" in result.explanation["message_zh"] and "by-election" in result.explanation["message_en"]


@st.composite
def generated_by_elections(draw: st.DrawFn) -> Community:
    """A by-election after a full election: the sitting team is the best slate of a generated community
    (the solver only makes the data; a random team when none exists), then 1-3 of its posts fall vacant
    and their holders either stand again or stand for nothing (they left)."""
    n = draw(st.integers(6, 8))
    folks = draw(people_dicts(n, eligible_bias=0.9))
    for p in folks:
        p.pop("incumbent", None)
    rels, others = draw(relatives_dicts(folks))
    seats = {PC: 3, RC: draw(st.sampled_from([2, 3])), SC: draw(st.sampled_from([1, 2]))}
    rules = {
        "seats": seats,
        "disabled": [r for r in SWITCHABLE if r != "S18" and draw(st.integers(0, 3)) == 0],
        "robust_list": draw(st.integers(0, 2)) == 0,
        "min_women": draw(st.integers(0, 2)),
    }
    extras: dict[str, Any] = {"multi_ethnic": draw(st.booleans())}
    if draw(st.booleans()):
        extras["previous_term"] = {"college_share": draw(st.sampled_from([0.25, 0.5, 0.75]))}
    full = community(folks, relatives=rels, others=others, rules=rules, **extras)
    result = solve_slates(full, SlateOptions(workers=1, time_limit=10))
    ids = [p["id"] for p in folks]
    held: dict[str, list[str]] = {x: [] for x in ids}
    if result.slates:
        for body in BODIES:
            for post, pid in result.slates[0].holders(body):
                held[pid].append(f"{body}.{post}")
    else:
        for body in BODIES:
            order = draw(st.permutations(ids))
            posts = [q for q in POSTS[body] if q != "member"]
            posts += ["member"] * (seats[body] - len(posts))
            for pid, post in zip(order, posts, strict=False):
                held[pid].append(f"{body}.{post}")
    holders = [x for x in ids if held[x]]
    leaving = draw(st.lists(st.sampled_from(holders), min_size=1, max_size=2, unique=True))
    vacancies = []
    for x in leaving:  # a member who leaves vacates every post they hold
        vacancies += held[x]
        held[x] = []
        if draw(st.booleans()):
            next(p for p in folks if p["id"] == x)["stands_for"] = []  # moved away: stands for nothing
    for p in folks:
        p["incumbent"] = held[p["id"]]
    return community(
        folks,
        relatives=rels,
        others=others,
        rules=rules,
        election="by_election",
        vacancies=sorted(vacancies),
        **extras,
    )


@parity_settings(int(os.environ.get("PARITY_EXAMPLES", "15")), random_ok=False)
@given(generated_by_elections())
def test_parity_on_generated_by_elections(c: Community) -> None:
    assert_by_election_parity(c)


# ---------------------------------------------------------------- the bundled example


def test_bundled_example_fills_the_three_vacancies() -> None:
    c = load_scenario(EXAMPLE)
    assert isinstance(c, Community) and c.by_election
    result = solve_slates(c, SlateOptions(top=3, workers=1))
    assert result.status == "optimal" and len(result.slates) == 3
    best = result.slates[0]
    sec = best.posts.party_committee.secretary
    assert sec == best.posts.residents_committee.director  # S02: one newcomer takes both vacant posts
    assert sec not in c.sitting()
    for pid, posts in c.sitting().items():
        assert all((b, q) in best.post_of(pid) for b, q in posts.items())
    pairs = close_pairs(c)
    for s in result.slates:
        team = s.team()
        for x in ("p05", "p09", "p11"):  # relatives of sitting members: never in the team nor on a list
            assert x not in team
            assert x not in s.candidate_lists[PC] + s.candidate_lists[RC]
        assert not any(frozenset(p) in pairs for p in combinations(sorted(team), 2))


def test_cli_slate_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    assert data["by_election"]["vacancies"] == [f"{PC}.secretary", f"{RC}.director", f"{RC}.member"]
    assert data["by_election"]["sitting"]["p02"] == {PC: "deputy_secretary", RC: "deputy_director"}
    assert main(["slate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "补选：填补空缺职务" in out and "（在任）" in out and "← 补选 new" in out


def test_cli_check_says_it_is_a_by_election(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    assert (
        "补选：填补空缺职务 社区党组织委员会书记、居民委员会主任、居民委员会委员1名"
        in capsys.readouterr().out
    )


def test_cli_why_not_a_relative_of_a_sitting_member(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--why-not", "p11", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["why_not"]["possible"] is False
    assert data["why_not"]["explanation"]["conflict"] == ["S07"]
    assert "p12" in data["why_not"]["explanation"]["message_en"]


def test_cli_verify_a_saved_by_election_plan(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slate", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    assert main(["verify", str(EXAMPLE), str(plan)]) == 0
    moved = copy.deepcopy(data)
    moved["slates"][0]["posts"][RC]["member"] = ["p06", "p22", "p23"]  # p19 (sitting) dropped
    plan.write_text(json.dumps(moved), encoding="utf-8")
    assert main(["verify", str(EXAMPLE), str(plan)]) == 1
    assert "p19" in capsys.readouterr().out


# ---------------------------------------------------------------- the app (AppTest)


def test_app_slates_and_schedule_on_the_by_election(at) -> None:
    from helpers import texts, visit

    at.selectbox(key="scenario_bundled").set_value("hongqi-by-election.yaml").run()
    assert not at.exception
    visit(at, "slates")
    shown = " ".join(texts(at.info))
    assert "补选：只填补空缺职务" in shown and "社区党组织委员会书记" in shown and "p02" in shown
    assert not at.error, texts(at.error)
    posts = at.dataframe[0].value
    assert "席位" in posts.columns and set(posts["席位"]) == {"在任", "补选"}
    assert list(posts.loc[posts["席位"] == "补选", "职务"].unique())  # the vacancies are filled
    visit(at, "schedule")
    assert not at.error, texts(at.error)
    info = " ".join(texts(at.info))
    assert "补选日程" in info and "by-election" in info
    table = at.dataframe[0].value
    assert "rc_election" in set(table.iloc[:, 0]) and "rectify" not in set(table.iloc[:, 0])
    at.radio(key="app_lang").set_value("en").run()
    visit(at, "schedule")
    assert any("By-election schedule" in x for x in texts(at.info))
    assert any(str(n).startswith("By-election: ") for n in at.dataframe[0].value.iloc[:, 1])
    visit(at, "slates")
    assert any("By-election (补选)" in x for x in texts(at.info))
    visit(at, "export")  # the files of the Export page carry the by-election
    assert not at.error, texts(at.error)
    built = list(at.session_state["export_built"].values())[-1][1]
    assert json.loads(built["plan.json"])["by_election"]["vacancies"][0] == f"{PC}.secretary"


# ---------------------------------------------------------------- the by-election stage template


def scheduled(vacancies: list[str], leave: tuple[str, ...], phases: dict[str, list[str]]) -> Community:
    return by_election(
        vacancies,
        leave=leave,
        reference_date="2026-06-01",
        schedule={"template": "by-election", "phases": phases},
    )


PHASES_2026 = {"party": ["2026-06-01", "2026-07-10"], "residents": ["2026-06-01", "2026-07-31"]}


def test_template_plans_only_the_vacant_bodies() -> None:
    from planner.check.schedule import check_schedule
    from planner.schedule import plan_schedule

    c = scheduled(
        [f"{RC}.member"], ("p04",), {"residents": PHASES_2026["residents"]}
    )  # no party phase needed
    ids = [s.id for s in c.schedule.effective_stages()]
    assert ids and all(s.startswith("rc_") for s in ids)
    assert "rc_election" in ids and "pc_election" not in ids
    result = plan_schedule(c, workers=1)
    assert result.status == "optimal"
    plan = result.plan[c.id]
    assert (plan["rc_election"][0] - plan["rc_voter_list"][1]).days >= 20  # T09
    assert (plan["rc_election"][0] - plan["rc_candidates"][1]).days >= 5  # T10
    assert all(ch.ok for ch in result.checks), [ch.detail for ch in result.checks if not ch.ok]
    assert all(ch.ok for ch in check_schedule(c, result.to_json()["communities"]))


def test_template_with_both_committees_keeps_party_first_and_publicity() -> None:
    from planner.schedule import plan_schedule

    c = scheduled(SECRETARY_VACANT, ("p01",), PHASES_2026)
    ids = {s.id for s in c.schedule.effective_stages()}
    assert {"pc_recommend", "pc_publicity", "pc_election", "rc_election"} <= ids and "sc_election" not in ids
    assert c.schedule.template.id == "by-election"
    result = plan_schedule(c, workers=1)
    plan = result.plan[c.id]
    assert plan["pc_election"][0] < plan["rc_election"][0]  # T05
    assert (plan["pc_publicity"][1] - plan["pc_publicity"][0]).days + 1 >= 5  # T03
    assert "补选" in result.to_json()["communities"][c.id]["by_election"]["message_zh"]
    again = community(
        json.loads(c.model_dump_json())["people"],
        **{k: v for k, v in json.loads(c.model_dump_json()).items() if k != "people"},
    )
    assert [s.id for s in again.schedule.effective_stages()] == [s.id for s in c.schedule.effective_stages()]


def test_template_needs_the_phases_of_the_vacant_bodies() -> None:
    with pytest.raises(ScenarioError) as exc:
        scheduled(SECRETARY_VACANT, ("p01",), {"party": PHASES_2026["party"]})
    [i] = exc.value.issues
    assert i.field == "phases.residents" and "needs the phase residents" in i.message
    assert "residents" in i.message_zh


def test_unknown_template_names_the_by_election_template() -> None:
    with pytest.raises(ScenarioError) as exc:
        community([person("p01")], schedule={"template": "by-elektion"})
    assert any("by-election" in i.message for i in exc.value.issues)


# ---------------------------------------------------------------- exports


def test_exports_say_it_is_a_by_election_and_which_posts_were_vacant(tmp_path) -> None:
    import io
    import zipfile

    import openpyxl

    from planner.cli import export_plan

    c = load_scenario(EXAMPLE)
    export_plan(c, tmp_path / "out", top=2, workers=1)
    out = tmp_path / "out"
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["by_election"]["vacancies"] == c.vacancies
    assert plan["by_election"]["sitting"]["p19"] == {RC: "member"}
    assert "补选" in plan["schedule"]["communities"][c.id]["by_election"]["message_zh"]
    assert main(["verify", str(EXAMPLE), str(out / "plan.json")]) == 0
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    rows = [[cell.value for cell in r] for r in wb["补选 By-election"].iter_rows(min_row=2)]
    assert sorted(r[7] for r in rows if r[3] == "空缺 vacant") == ["director", "member", "secretary"]
    assert {r[4] for r in rows if r[3] == "在任 sitting"} == set(c.sitting())
    notes = {r[6]: r[16] for r in wb["方案 Options"].iter_rows(min_row=2, values_only=True) if r[1] == 1}
    assert notes["p19"] == "在任（保留原职）" and "补选" in notes[plan["slates"][0]["posts"][PC]["secretary"]]
    with zipfile.ZipFile(io.BytesIO((out / "plan.docx").read_bytes())) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "“两委”补选人选方案" in xml and "空缺" in xml and "在任（保留原职）" in xml
    with zipfile.ZipFile(io.BytesIO((out / "候选人初步人选名单.docx").read_bytes())) as z:
        lists = z.read("word/document.xml").decode("utf-8")
    assert "（2名，应选1名）" in lists and "（3名，应选2名）" in lists  # the lists elect the vacancies
    with zipfile.ZipFile(io.BytesIO((out / "换届工作日程安排表.docx").read_bytes())) as z:
        assert "补选工作日程安排表" in z.read("word/document.xml").decode("utf-8")
    ics = (out / "schedule.ics").read_text(encoding="utf-8")
    assert "X-WR-CALNAME:红旗社区“两委”补选工作日程" in ics and "CATEGORIES:两委补选" in ics
    assert "rectify" not in ics  # only the by-election template's stages


def test_the_roster_round_trip_keeps_the_by_election(tmp_path) -> None:
    """The Excel 花名册 keeps election and vacancies (in its 设置 sheet): the same scenario comes back."""
    out = tmp_path / "roster.xlsx"
    assert main(["roster", str(EXAMPLE), "--out", str(out)]) == 0
    back = load_scenario(out)
    assert (
        isinstance(back, Community)
        and back.by_election
        and back.vacancies == load_scenario(EXAMPLE).vacancies
    )
    assert back.sha256() == load_scenario(EXAMPLE).sha256()


def test_chinese_values_for_election_and_vacancies() -> None:
    """election: 补选 and vacancies in Chinese (书记, 主任, 居委会委员) read as the codes."""
    c = community(
        people(9, ("p01",)),
        election="补选",
        vacancies=["书记", "主任"],
        rules=SMALL,
    )
    assert c.by_election and c.vacancies == [f"{PC}.secretary", f"{RC}.director"]
