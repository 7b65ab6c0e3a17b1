"""Black-box acceptance tests written from the contract alone.

The contract: SCENARIO.md (format, command line, JSON, "Precise meanings"),
RULES.md and LEGAL.md under the shared spec. Every case here runs the
`planner` command line on a tiny scenario written into pytest's tmp_path and
looks only at the exit status and the output (stdout, stderr, the JSON).

The cases run the command in-process, through `planner.cli.main(argv)` with
stdout and stderr captured: the same parser, exit codes and printing as
`python -m planner`, without starting an interpreter per case. A few smoke
tests at the end (marked `subprocess`) run the real `python -m planner`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent

SLATE_RULES = [f"S{i:02d}" for i in range(2, 20)]
SCHEDULE_RULES = [f"T{i:02d}" for i in range(1, 11)]
TL = ["--time-limit", "10"]


# ---------------------------------------------------------------- helpers


class Run:
    def __init__(self, rc: int, out: str, err: str):
        self.rc = rc
        self.out = out
        self.err = err
        try:
            self.json: Any = json.loads(out)
        except ValueError:
            self.json = None

    def __repr__(self) -> str:  # shown by pytest on failure
        return f"Run(rc={self.rc}, out={self.out[-3000:]!r}, err={self.err[-2000:]!r})"


_counter = [0]


def write(tmp_path: Path, scen: dict[str, Any], name: str | None = None) -> Path:
    _counter[0] += 1
    path = tmp_path / (name or f"scen{_counter[0]}.json")
    path.write_text(json.dumps(scen, ensure_ascii=False), encoding="utf-8")
    return path


def argv_of(
    tmp_path: Path, command: str, scen: dict[str, Any] | Path, *args: str, json_out: bool = True
) -> list[str]:
    path = scen if isinstance(scen, Path) else write(tmp_path, scen)
    argv = [command, str(path), *args]
    if json_out:
        argv.append("--json")
    if command in ("slate", "schedule"):
        argv += TL
    return argv


def run_main(argv: list[str], cwd: Path) -> Run:
    """`planner <argv>` in-process: main()'s exit code and everything it printed to stdout and stderr.

    main() reconfigures sys.stdout/sys.stderr to UTF-8 when they can be reconfigured; the StringIO
    buffers it prints into here cannot (and need not) be, so that step is a no-op.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as exc:  # argparse's --help/--version; main() turns every other exit into a code
            rc = exc.code if isinstance(exc.code, int) else 1
    return Run(rc, out.getvalue(), err.getvalue())


def planner(
    tmp_path: Path, command: str, scen: dict[str, Any] | Path, *args: str, json_out: bool = True
) -> Run:
    return run_main(argv_of(tmp_path, command, scen, *args, json_out=json_out), tmp_path)


def planner_subprocess(tmp_path: Path, *argv: str) -> Run:
    """The real command: `python -m planner <argv>` in a child process, with this checkout's planner."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("PLANNER_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def slate(tmp_path: Path, scen: dict[str, Any], *args: str) -> Run:
    return planner(tmp_path, "slate", scen, *args)


def schedule(tmp_path: Path, scen: dict[str, Any], *args: str) -> Run:
    return planner(tmp_path, "schedule", scen, *args)


def P(pid: str, **kw: Any) -> dict[str, Any]:
    """A 40-year-old male Party member, college-educated, joint review passed: eligible for every post."""
    base: dict[str, Any] = {
        "id": pid,
        "name": f"人{pid}",
        "gender": "M",
        "birth_date": "1980-01-01",
        "education": "college",
        "party_member": True,
        "party_joined": "2010-01-01",
        "joint_review": "passed",
        "support": 1,
    }
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def C(people: list[dict[str, Any]], seats: tuple[int, int, int] = (3, 2, 1), **kw: Any) -> dict[str, Any]:
    """A tiny community. `seats` = (party, residents, supervisory)."""
    rules = {
        "seats": {
            "party_committee": seats[0],
            "residents_committee": seats[1],
            "supervisory_committee": seats[2],
        }
    }
    rules.update(kw.pop("rules", {}))
    scen: dict[str, Any] = {
        "kind": "community",
        "id": "tiny",
        "name": "小社区",
        "reference_date": "2020-12-10",
        "rules": rules,
        "people": people,
    }
    scen.update(kw)
    return scen


def only(scen: dict[str, Any], *on: str) -> dict[str, Any]:
    """Copy of `scen` with every slate rule but `on` switched off."""
    s = copy.deepcopy(scen)
    s["rules"]["disabled"] = [r for r in SLATE_RULES if r not in on]
    if "S18" in on:
        s["rules"]["robust_list"] = True
    return s


def base_people() -> list[dict[str, Any]]:
    """Feasible under every default rule with seats (3, 2, 1): a is the only woman and the only young person."""
    return [
        P("a", gender="F", birth_date="1990-01-01", support=10),
        P("b", support=20),
        P("c", support=30),
        P("d", support=40),
        P("e", support=5),
    ]


def team(sl: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for body in ("party_committee", "residents_committee"):
        for who in sl["posts"][body].values():
            out.update(who if isinstance(who, list) else [who])
    return out


def holders(sl: dict[str, Any], body: str) -> set[str]:
    out: set[str] = set()
    for who in sl["posts"][body].values():
        out.update(who if isinstance(who, list) else [who])
    return out


def everyone(sl: dict[str, Any]) -> set[str]:
    return (
        holders(sl, "party_committee")
        | holders(sl, "residents_committee")
        | holders(sl, "supervisory_committee")
    )


def ok(r: Run) -> dict[str, Any]:
    assert r.rc == 0, r
    assert r.json["status"] in ("optimal", "feasible"), r
    assert r.json["explanation"] in (None, {}) or not r.json["explanation"].get("conflict"), r
    return r.json["slates"][0]


def assert_slate_minimal(tmp_path: Path, scen: dict[str, Any], conflict: list[str], *args: str) -> None:
    """With only the conflict's rules on there is no slate; dropping any one of them gives one."""
    assert conflict, "empty conflict"
    assert "S01" not in conflict
    assert set(conflict) <= set(SLATE_RULES), conflict
    assert len(set(conflict)) == len(conflict)
    r = slate(tmp_path, only(scen, *conflict), *args)
    assert r.rc == 1 and r.json["status"] == "infeasible", (conflict, r)
    for rule in conflict:
        r = slate(tmp_path, only(scen, *[c for c in conflict if c != rule]), *args)
        assert r.rc == 0 and r.json["status"] in ("optimal", "feasible"), (conflict, rule, r)


def infeasible(
    tmp_path: Path,
    scen: dict[str, Any],
    *args: str,
    expect: list[str] | None = None,
    contains: str | None = None,
    minimal: bool = True,
) -> list[str]:
    r = slate(tmp_path, scen, *args)
    assert r.rc == 1, r
    assert r.json is not None, r
    assert r.json["status"] == "infeasible", r
    assert r.json["slates"] == [], r
    conflict = r.json["explanation"]["conflict"]
    assert isinstance(r.json["explanation"]["message"], str) and r.json["explanation"]["message"]
    if expect is not None:
        assert sorted(conflict) == sorted(expect), r
    if contains is not None:
        assert contains in conflict, r
    if minimal and (expect is None or len(expect) > 0):
        assert_slate_minimal(tmp_path, scen, conflict, *args)
    return conflict


# ---------------------------------------------------------------- baseline


def test_base_is_feasible_and_objective(tmp_path):
    sl = ok(slate(tmp_path, C(base_people())))
    # team = Party committee (S02 + S12 put both RC posts on the PC); must contain a (the only woman/young)
    assert team(sl) == {"a", "c", "d"}
    assert sl["objective"] == 10 + 30 + 40
    assert sl["posts"]["party_committee"]["secretary"] == sl["posts"]["residents_committee"]["director"]
    assert (
        sl["posts"]["supervisory_committee"]["director"]
        == sl["posts"]["party_committee"]["discipline_inspector"]
    )
    assert "S01" in {c["rule"] for c in sl["checks"]}


def test_slate_json_shape(tmp_path):
    r = slate(tmp_path, C(base_people()))
    d = r.json
    assert d["scenario"] == "tiny"
    assert d["status"] == "optimal"
    assert d["explanation"] is None
    sl = d["slates"][0]
    assert sl["rank"] == 1 and isinstance(sl["objective"], int)
    pc = sl["posts"]["party_committee"]
    assert set(pc) >= {"secretary", "deputy_secretary", "discipline_inspector", "member"}
    assert isinstance(pc["member"], list) and isinstance(pc["secretary"], str)
    assert set(sl["posts"]["residents_committee"]) >= {"director", "deputy_director", "member"}
    assert set(sl["posts"]["supervisory_committee"]) >= {"director", "member"}
    assert set(sl["candidate_lists"]) >= {"party_committee", "residents_committee"}
    for chk in sl["checks"]:
        assert set(chk) >= {"rule", "ok", "detail"}
        assert chk["ok"] is True


# ---------------------------------------------------------------- per-rule: S02-S19


def test_s02_alone_infeasible_with_locks(tmp_path):
    scen = only(C(base_people()), "S02")
    infeasible(
        tmp_path,
        scen,
        "--lock",
        "c=party_committee.secretary",
        "--lock",
        "b=residents_committee.director",
        expect=["S02"],
    )


def test_s02_decides_secretary(tmp_path):
    sl = ok(slate(tmp_path, C(base_people()), "--lock", "b=residents_committee.director"))
    assert sl["posts"]["party_committee"]["secretary"] == "b"


def test_s03_non_member_never_on_party_committee(tmp_path):
    people = base_people() + [P("n", party_member=False, party_joined=None, support=100)]
    sl = ok(slate(tmp_path, only(C(people), "S03")))
    assert "n" not in holders(sl, "party_committee")
    assert "n" in everyone(sl)  # support 100: it is in the residents' committee at least
    infeasible(tmp_path, C(people), "--lock", "n=party_committee", expect=["S03"])
    infeasible(tmp_path, only(C(people), "S03"), "--lock", "n=party_committee", expect=["S03"])


def test_s04_disqualified(tmp_path):
    people = base_people() + [P("q", disqualifications=["D01"], support=100)]
    sl = ok(slate(tmp_path, C(people)))
    assert "q" not in everyone(sl)
    infeasible(tmp_path, only(C(people), "S04"), "--lock", "q", expect=["S04"])
    # S04 applies to every body, the supervisory committee included
    infeasible(tmp_path, only(C(people), "S04"), "--lock", "q=supervisory_committee", expect=["S04"])


def test_s05_joint_review_pending_and_allow_pending(tmp_path):
    people = base_people() + [P("p", joint_review="pending", support=100)]
    sl = ok(slate(tmp_path, C(people)))
    assert "p" not in everyone(sl)
    infeasible(tmp_path, only(C(people), "S05"), "--lock", "p", expect=["S05"])
    infeasible(tmp_path, only(C(people), "S05"), "--lock", "p=supervisory_committee", expect=["S05"])
    r = slate(tmp_path, C(people), "--allow-pending")
    sl = ok(r)
    assert "p" in team(sl)  # support 100 now counts
    r = slate(tmp_path, only(C(people), "S05"), "--allow-pending", "--lock", "p")
    ok(r)


@pytest.mark.parametrize("value", [None, "not_submitted", "failed"])
def test_s05_joint_review_not_passed(tmp_path, value):
    # joint_review absent means not_submitted, which fails S05 even with --allow-pending
    people = base_people() + [P("p", joint_review=value, support=100)]
    people[-1].pop("joint_review", None) if value is None else None
    assert ("joint_review" in people[-1]) == (value is not None)
    sl = ok(slate(tmp_path, C(people), "--allow-pending"))
    assert "p" not in everyone(sl)
    infeasible(tmp_path, only(C(people), "S05"), "--allow-pending", "--lock", "p", expect=["S05"])


# S06: secretary conditions. reference date 2020-12-10.
S06_CASES = [
    # (fields, feasible)
    ({"birth_date": "1975-12-10"}, True),  # exactly 45 on the reference date
    ({"birth_date": "1974-12-11"}, True),  # still 45 (46 the next day)
    ({"birth_date": "1974-12-10"}, False),  # 46 on the reference date
    ({"party_joined": "2019-12-10"}, True),  # exactly 1 full year of standing
    ({"party_joined": "2019-12-11"}, False),  # one day short
    ({"education": "vocational"}, False),
    ({"education": "high_school"}, False),
    ({"education": "bachelor"}, True),
    (
        {"birth_date": "1960-01-01", "education": "vocational", "incumbent": ["party_committee.secretary"]},
        True,
    ),  # incumbent exempt
    (
        {
            "birth_date": "1960-01-01",
            "incumbent": ["party_committee.secretary"],
            "party_joined": "2020-06-01",
        },
        False,
    ),  # but needs standing
    ({"birth_date": "1960-01-01", "incumbent": ["residents_committee.director"]}, False),  # not a secretary
    ({"birth_date": "1960-01-01", "waivers": ["age"]}, True),
    ({"education": "vocational", "waivers": ["education"]}, True),
    ({"birth_date": "1960-01-01", "education": "vocational", "waivers": ["age"]}, False),
    ({"birth_date": "1960-01-01", "education": "vocational", "waivers": ["age", "education"]}, True),
]


@pytest.mark.parametrize("fields,feasible", S06_CASES, ids=[str(i) for i in range(len(S06_CASES))])
def test_s06_secretary_conditions(tmp_path, fields, feasible):
    people = base_people() + [P("s", **fields)]
    scen = only(C(people), "S06")
    if feasible:
        sl = ok(slate(tmp_path, scen, "--lock", "s=party_committee.secretary"))
        assert sl["posts"]["party_committee"]["secretary"] == "s"
    else:
        infeasible(tmp_path, scen, "--lock", "s=party_committee.secretary", expect=["S06"])


def test_s06_parameters(tmp_path):
    people = base_people() + [P("s", birth_date="1974-12-10")]  # 46
    scen = only(C(people, rules={"secretary_max_age": 46}), "S06")
    ok(slate(tmp_path, scen, "--lock", "s=party_committee.secretary"))
    people = base_people() + [P("s", party_joined="2018-12-11")]  # 1 full year, not 2
    scen = only(C(people, rules={"secretary_min_party_years": 2}), "S06")
    infeasible(tmp_path, scen, "--lock", "s=party_committee.secretary", expect=["S06"])
    people = base_people() + [P("s", education="college")]
    scen = only(C(people, rules={"secretary_min_education": "bachelor"}), "S06")
    infeasible(tmp_path, scen, "--lock", "s=party_committee.secretary", expect=["S06"])


def test_s06_only_applies_to_secretary(tmp_path):
    people = base_people() + [P("s", birth_date="1950-01-01", education="primary")]
    ok(slate(tmp_path, only(C(people), "S06"), "--lock", "s=party_committee.deputy_secretary"))


# S07: close relatives.
def _s07(people_extra=(), relatives=(), others=(), **kw):
    people = base_people() + [P(p) for p in people_extra]
    return C(people, relatives=list(relatives), others=[{"id": o, "name": f"外{o}"} for o in others], **kw)


TEAM_LOCKS = ("--lock", "x=party_committee.secretary", "--lock", "y=party_committee.deputy_secretary")


@pytest.mark.parametrize(
    "relatives,others,related",
    [
        ([{"a": "x", "b": "y", "relation": "spouse"}], [], True),
        ([{"a": "x", "b": "y", "relation": "parent"}], [], True),
        ([{"a": "x", "b": "y", "relation": "child"}], [], True),
        ([{"a": "x", "b": "y", "relation": "sibling"}], [], True),
        ([{"a": "x", "b": "y", "relation": "grandparent"}], [], True),
        ([{"a": "y", "b": "x", "relation": "grandchild"}], [], True),
        # shared parent -> siblings
        (
            [{"a": "o1", "b": "x", "relation": "parent"}, {"a": "o1", "b": "y", "relation": "parent"}],
            ["o1"],
            True,
        ),
        # parent of a parent -> grandparent
        (
            [{"a": "x", "b": "o1", "relation": "parent"}, {"a": "o1", "b": "y", "relation": "parent"}],
            ["o1"],
            True,
        ),
        # child/parent written the other way round
        (
            [{"a": "o1", "b": "x", "relation": "child"}, {"a": "y", "b": "o1", "relation": "child"}],
            ["o1"],
            True,
        ),
        # cousins: no
        (
            [
                {"a": "g", "b": "o1", "relation": "parent"},
                {"a": "g", "b": "o2", "relation": "parent"},
                {"a": "o1", "b": "x", "relation": "parent"},
                {"a": "o2", "b": "y", "relation": "parent"},
            ],
            ["g", "o1", "o2"],
            False,
        ),
        # listed sibling is not transitive
        (
            [{"a": "x", "b": "o1", "relation": "sibling"}, {"a": "o1", "b": "y", "relation": "sibling"}],
            ["o1"],
            False,
        ),
        # listed sibling passes no parents on
        (
            [{"a": "x", "b": "o1", "relation": "parent"}, {"a": "o1", "b": "y", "relation": "sibling"}],
            ["o1"],
            False,
        ),
        # in-laws: no
        (
            [{"a": "x", "b": "o1", "relation": "spouse"}, {"a": "o1", "b": "y", "relation": "sibling"}],
            ["o1"],
            False,
        ),
        # uncle/nephew: no
        (
            [
                {"a": "g", "b": "x", "relation": "parent"},
                {"a": "g", "b": "o1", "relation": "parent"},
                {"a": "o1", "b": "y", "relation": "parent"},
            ],
            ["g", "o1"],
            False,
        ),
    ],
    ids=[
        "spouse",
        "parent",
        "child",
        "sibling",
        "grandparent",
        "grandchild",
        "shared-parent",
        "parent-of-parent",
        "child-child",
        "cousins",
        "sibling-not-transitive",
        "sibling-no-parent",
        "in-law",
        "uncle",
    ],
)
def test_s07_relations(tmp_path, relatives, others, related):
    scen = _s07(["x", "y"], relatives, others)
    if related:
        infeasible(tmp_path, only(scen, "S07"), *TEAM_LOCKS, expect=["S07"])
    else:
        ok(slate(tmp_path, only(scen, "S07"), *TEAM_LOCKS))


def test_s07_recusal_supervisory(tmp_path):
    rel = [{"a": "x", "b": "y", "relation": "spouse"}]
    locks = ("--lock", "x=party_committee.secretary", "--lock", "y=supervisory_committee.director")
    infeasible(tmp_path, only(_s07(["x", "y"], rel), "S07"), *locks, expect=["S07"])
    ok(slate(tmp_path, only(_s07(["x", "y"], rel, rules={"recusal_supervisory": False}), "S07"), *locks))
    # supervisory members among themselves: S07 says nothing
    scen = _s07(["x", "y"], rel)
    scen["rules"]["seats"]["supervisory_committee"] = 2
    ok(
        slate(
            tmp_path,
            only(scen, "S07"),
            "--lock",
            "x=supervisory_committee.director",
            "--lock",
            "y=supervisory_committee.member",
        )
    )


def test_s07_decides_team(tmp_path):
    # d (40) and c (30) are spouses: the best team can hold only one of them
    scen = C(base_people(), relatives=[{"a": "c", "b": "d", "relation": "spouse"}])
    sl = ok(slate(tmp_path, scen))
    assert team(sl) == {"a", "d", "b"}
    assert sl["objective"] == 70


def test_s08_young(tmp_path):
    people = [P(i) for i in "bcde"] + [P("a", gender="F")]
    infeasible(tmp_path, only(C(people), "S08"), expect=["S08"])
    infeasible(tmp_path, C(people), expect=["S08"])
    # exactly 35 in full years (36 the next day) counts; 36 does not
    people35 = [P(i) for i in "bcde"] + [P("y", birth_date="1984-12-11", support=0)]
    sl = ok(slate(tmp_path, only(C(people35), "S08")))
    assert "y" in team(sl)
    people36 = [P(i) for i in "bcde"] + [P("y", birth_date="1984-12-10", support=0)]
    infeasible(tmp_path, only(C(people36), "S08"), expect=["S08"])
    # parameters
    ok(slate(tmp_path, only(C(people36, rules={"young_max_age": 36}), "S08")))
    infeasible(tmp_path, only(C(people35, rules={"min_young": 2}), "S08"), expect=["S08"])
    ok(slate(tmp_path, only(C(people, rules={"min_young": 0}), "S08")))


def test_s08_supervisory_does_not_count(tmp_path):
    people = [P(i) for i in "bcde"] + [P("y", birth_date="1995-01-01", party_joined="2015-01-01")]
    # y locked to the supervisory committee only (S13 off): S08 still needs a young team member
    scen = only(C(people, rules={"seats": {"supervisory_committee": 2}}), "S08")
    sl = ok(slate(tmp_path, scen))
    assert "y" in team(sl)


def test_s09_women(tmp_path):
    people = [P(i, support=50) for i in "bcde"] + [P("w", gender="F", birth_date="1990-01-01", support=0)]
    sl = ok(slate(tmp_path, C(people)))
    assert "w" in team(sl)  # the woman with support 0 is chosen because of S09 (and S08)
    men = [P(i) for i in "bcde"] + [P("y", birth_date="1990-01-01")]
    infeasible(tmp_path, only(C(men), "S09"), expect=["S09"])
    infeasible(tmp_path, C(men), expect=["S09"])
    ok(slate(tmp_path, only(C(men, rules={"min_women": 0}), "S09")))
    two = [P(i) for i in "bcd"] + [P("w", gender="F")]
    infeasible(tmp_path, only(C(two, rules={"min_women": 2}), "S09"), expect=["S09"])


def test_s10_college_share_strict(tmp_path):
    # Party committee of 4: the team has at least 4 people; only 3 have college or above
    people = [P(i) for i in "abc"] + [P(i, education="high_school") for i in "xyz"]
    seats = (4, 2, 1)
    infeasible(tmp_path, only(C(people, seats, previous_term={"college_share": 0.75}), "S10"), expect=["S10"])
    sl = ok(slate(tmp_path, only(C(people, seats, previous_term={"college_share": 0.74}), "S10")))
    t = team(sl)
    assert len({p for p in t if p in "abc"}) / len(t) > 0.74
    allcollege = [P(i) for i in "abcdef"]
    infeasible(
        tmp_path, only(C(allcollege, seats, previous_term={"college_share": 1.0}), "S10"), expect=["S10"]
    )
    ok(slate(tmp_path, only(C(allcollege, seats), "S10")))  # no previous share: no comparison


def test_s11_rc_party_share_strict(tmp_path):
    people = [P("m")] + [P(i, party_member=False, party_joined=None) for i in "wxyz"]
    # residents' committee of 2 with at most one Party member: 50% is not strictly above 50%
    infeasible(tmp_path, only(C(people), "S11"), expect=["S11"])
    ok(slate(tmp_path, only(C(people, rules={"rc_party_share_min": 0.4}), "S11")))
    # 2 of 3: above 50%
    sl = ok(slate(tmp_path, only(C(people + [P("m2")], (3, 3, 1)), "S11")))
    assert {"m", "m2"} <= holders(sl, "residents_committee")
    # previous term's share, strictly
    infeasible(
        tmp_path,
        only(C(people + [P("m2")], (3, 3, 1), previous_term={"rc_party_share": 0.7}), "S11"),
        expect=["S11"],
    )
    ok(slate(tmp_path, only(C(people + [P("m2")], (3, 3, 1), previous_term={"rc_party_share": 0.6}), "S11")))
    allparty = [P(i) for i in "abcd"]
    infeasible(tmp_path, only(C(allparty, previous_term={"rc_party_share": 1.0}), "S11"), expect=["S11"])


def test_s12_deputy_director_cross(tmp_path):
    locks = (
        "--lock",
        "a=party_committee.secretary",
        "--lock",
        "b=party_committee.deputy_secretary",
        "--lock",
        "c=party_committee.discipline_inspector",
        "--lock",
        "d=residents_committee.deputy_director",
    )
    infeasible(tmp_path, only(C(base_people()), "S12"), *locks, expect=["S12"])
    ok(slate(tmp_path, only(C(base_people())), *locks))


def test_s13_supervisory_director(tmp_path):
    locks = ("--lock", "a=party_committee.discipline_inspector", "--lock", "b=supervisory_committee.director")
    infeasible(tmp_path, only(C(base_people()), "S13"), *locks, expect=["S13"])
    ok(slate(tmp_path, only(C(base_people())), *locks))


def test_s14_supervisory_separation(tmp_path):
    people = [P(i) for i in "abc"]
    # 3 people, residents' committee of 2, supervisory committee of 2: they must overlap
    infeasible(tmp_path, only(C(people, (3, 2, 2)), "S14"), expect=["S14"])
    ok(slate(tmp_path, only(C(people, (3, 2, 1)), "S14")))


def test_s15_willing(tmp_path):
    people = base_people() + [
        P("n", stands_for=[], support=100),
        P("r", stands_for=["residents_committee"]),
        P("p", stands_for=["party_committee"]),
        P("any"),
    ]
    people[-1].pop("stands_for", None)
    sl = ok(slate(tmp_path, C(people)))
    assert "n" not in everyone(sl)
    infeasible(tmp_path, only(C(people), "S15"), "--lock", "n", expect=["S15"])
    infeasible(tmp_path, only(C(people), "S15"), "--lock", "r=supervisory_committee.director", expect=["S15"])
    infeasible(tmp_path, only(C(people), "S15"), "--lock", "r=party_committee", expect=["S15"])
    infeasible(tmp_path, only(C(people), "S15"), "--lock", "p=residents_committee", expect=["S15"])
    ok(slate(tmp_path, only(C(people), "S15"), "--lock", "r=residents_committee"))
    # stands_for absent: every body
    for body in (
        "party_committee.secretary",
        "residents_committee.director",
        "supervisory_committee.director",
    ):
        ok(slate(tmp_path, only(C(people), "S15"), "--lock", f"any={body}"))


@pytest.mark.parametrize(
    "fields,feasible",
    [
        ({"birth_date": "2002-12-10", "party_member": False, "party_joined": None}, True),  # 18 today
        ({"birth_date": "2002-12-11", "party_member": False, "party_joined": None}, False),  # 17
        ({"resident_voter": False}, False),
        ({"resident_voter": True}, True),
    ],
)
def test_s16_adult_resident(tmp_path, fields, feasible):
    people = base_people() + [P("v", **fields)]
    for lock in ("v=residents_committee", "v=supervisory_committee"):
        scen = only(C(people), "S16")
        if feasible:
            ok(slate(tmp_path, scen, "--lock", lock))
        else:
            infeasible(tmp_path, scen, "--lock", lock, expect=["S16"])


def test_s17_list_sizes(tmp_path):
    three = [P(i) for i in "abc"]
    # Party committee of 3: list needs ceil(3.6) = 4 people
    infeasible(tmp_path, only(C(three), "S17"), expect=["S17"])
    sl = ok(slate(tmp_path, only(C(three + [P("d")]), "S17")))
    lists = sl["candidate_lists"]
    assert len(set(lists["party_committee"])) >= 4 and len(set(lists["residents_committee"])) >= 3
    assert holders(sl, "party_committee") <= set(lists["party_committee"])
    assert holders(sl, "residents_committee") <= set(lists["residents_committee"])
    # residents' list: seats + 1 whatever the ratio
    infeasible(tmp_path, only(C(three, (3, 3, 1), rules={"differential_ratio": 0}), "S17"), expect=["S17"])
    sl = ok(slate(tmp_path, only(C(three, (3, 2, 1), rules={"differential_ratio": 0}), "S17")))
    assert len(set(sl["candidate_lists"]["residents_committee"])) >= 3


@pytest.mark.parametrize("seats,ratio", [(5, 0.2), (10, 0.1), (5, 0.4), (7, 0.2)])
def test_s17_ceil_on_exact_decimals(tmp_path, seats, ratio):
    from decimal import Decimal

    need = math.ceil(Decimal(seats) * (1 + Decimal(str(ratio))))
    people = [P(f"p{i}") for i in range(need)]
    sl = ok(slate(tmp_path, only(C(people, (seats, 2, 1), rules={"differential_ratio": ratio}), "S17")))
    assert len(set(sl["candidate_lists"]["party_committee"])) >= need
    infeasible(
        tmp_path,
        only(C(people[:-1], (seats, 2, 1), rules={"differential_ratio": ratio}), "S17"),
        expect=["S17"],
    )


@pytest.mark.parametrize(
    "bad,rule",
    [
        ({"party_member": False, "party_joined": None}, "S03"),
        ({"disqualifications": ["D05"]}, "S04"),
        ({"joint_review": "pending"}, "S05"),
        ({"stands_for": ["residents_committee"]}, "S15"),
        ({"birth_date": "2005-01-01", "party_member": False, "party_joined": None}, "S16"),
    ],
)
def test_s17_list_members_must_be_eligible(tmp_path, bad, rule):
    # 4 people, one not eligible for the Party committee: the Party list (needs 4) cannot be filled
    people = [P(i) for i in "abc"] + [P("z", **bad)]
    conflict = infeasible(tmp_path, only(C(people), "S17", rule))
    assert sorted(conflict) == sorted(["S17", rule])
    ok(slate(tmp_path, only(C(people), "S17")))


def test_s18_robust_lists(tmp_path):
    one_woman = [P(i, support=10 * k) for k, i in enumerate("bcdefg")] + [P("w", gender="F")]
    # off by default
    ok(slate(tmp_path, only(C(one_woman), "S09", "S17")))
    scen = only(C(one_woman), "S09", "S17", "S18")
    assert scen["rules"]["robust_list"] is True
    conflict = infeasible(tmp_path, scen)
    assert "S18" in conflict
    two_women = one_woman + [P("w2", gender="F")]
    sl = ok(slate(tmp_path, only(C(two_women), "S09", "S17", "S18")))
    # every seats-sized subset of the Party list contains a woman
    women = {"w", "w2"}
    assert (
        len(women & set(sl["candidate_lists"]["party_committee"])) >= 2
        or len(women & set(sl["candidate_lists"]["residents_committee"])) >= 2
    )
    # with all default rules and robust_list on
    full = C(
        one_woman + [P("y", birth_date="1995-01-01", party_joined="2015-01-01")], rules={"robust_list": True}
    )
    infeasible(tmp_path, full, contains="S18")


def test_s19_minority(tmp_path):
    han = [dict(P(i), ethnicity="汉族") for i in "abcde"]
    infeasible(tmp_path, only(C(han, multi_ethnic=True), "S19"), expect=["S19"])
    unknown = [P(i) for i in "abcde"]  # ethnicity absent: not a minority
    infeasible(tmp_path, only(C(unknown, multi_ethnic=True), "S19"), expect=["S19"])
    ok(slate(tmp_path, only(C(unknown, multi_ethnic=False), "S19")))
    people = han + [P("m", ethnicity="蒙古族", support=0)]
    sl = ok(slate(tmp_path, only(C(people, multi_ethnic=True), "S19")))
    assert "m" in holders(sl, "residents_committee")
    people = han + [P("m", ethnicity="回族", support=0)]
    sl = ok(slate(tmp_path, C(people + [P("w", gender="F", birth_date="1990-01-01")], multi_ethnic=True)))
    assert "m" in holders(sl, "residents_committee")


def test_s01_cannot_be_disabled(tmp_path):
    r = slate(tmp_path, C(base_people(), rules={"disabled": ["S01"]}))
    assert r.rc == 2, r
    assert "Traceback" not in r.err + r.out


def test_s01_never_blamed(tmp_path):
    # too few people for the seats: no slate; S01 may not appear in the explanation
    people = [P(i) for i in "ab"]
    r = slate(tmp_path, C(people))
    assert r.rc == 1 and r.json["status"] == "infeasible", r
    assert "S01" not in r.json["explanation"]["conflict"]


# ---------------------------------------------------------------- person defaults, rules merge


def test_support_absent_is_zero_and_objective(tmp_path):
    people = [
        P("p1", support=10, tags=["veteran", "veteran", "grid_worker"]),
        P("p2", support=20, incumbent=["residents_committee.member"]),
        P("p3", support=30),
        P("p4"),
        P("p5"),
        P("top", support=100, stands_for=["supervisory_committee"]),
    ]
    people[3].pop("support")
    people[4].pop("support")
    scen = only(C(people, rules={"weights": {"continuity": 3}}), "S02", "S12", "S15")
    sl = ok(slate(tmp_path, scen))
    # team = Party committee (S02 + S12); p1: 10 + 2 distinct tags * 5; p2: 20 + continuity 3
    assert team(sl) == {"p1", "p2", "p3"}
    assert sl["objective"] == 20 + 23 + 30
    # p4 and p5 have support 0: lock one in instead of p1 (the weakest, 20)
    sl = ok(slate(tmp_path, scen, "--lock", "p4=party_committee"))
    assert sl["objective"] == 23 + 30 + 0


def test_cross_holder_counted_once(tmp_path):
    # only S02: the secretary is also the director; every member once
    people = [P(f"p{i}", support=10 * i) for i in range(1, 7)]
    scen = only(C(people, (3, 2, 1)), "S02", "S12", "S14")
    sl = ok(slate(tmp_path, scen))
    assert sl["objective"] == sum(int(p[1:]) * 10 for p in team(sl))
    assert sl["objective"] == 60 + 50 + 40


def test_continuity_weight_default_zero(tmp_path):
    people = [
        P("i1", support=10, incumbent=["party_committee.member"]),
        P("n1", support=11),
        P("n2", support=50),
        P("n3", support=50),
    ]
    scen = only(C(people), "S02", "S12")
    sl = ok(slate(tmp_path, scen))
    assert team(sl) == {"n1", "n2", "n3"} and sl["objective"] == 111
    scen["rules"]["weights"] = {"continuity": 2}
    sl = ok(slate(tmp_path, scen))
    assert team(sl) == {"i1", "n2", "n3"} and sl["objective"] == 112


def test_nested_rules_merge_per_key(tmp_path):
    people = [P(f"p{i:02d}", support=i) for i in range(12)]
    scen = only(
        C(people),
    )
    scen["rules"]["seats"] = {"residents_committee": 3}
    scen["rules"]["weights"] = {"continuity": 0}
    scen["people"][0]["tags"] = ["veteran"]
    sl = ok(slate(tmp_path, scen))
    assert len(holders(sl, "party_committee")) == 5
    assert len(sl["posts"]["party_committee"]["member"]) == 2
    assert len(holders(sl, "residents_committee")) == 3
    assert len(holders(sl, "supervisory_committee")) == 3
    # weights: support 1 and preferred_source 5 kept
    assert sl["objective"] == sum(int(p[1:]) for p in team(sl)) + (5 if "p00" in team(sl) else 0)


# ---------------------------------------------------------------- --top K


def test_top_k_by_hand(tmp_path):
    people = [P(f"p{i}", support=10 * i) for i in range(1, 6)]
    scen = only(C(people), "S02", "S12")  # team = the 3 Party committee members
    r = slate(tmp_path, scen, "--top", "4")
    assert r.rc == 0, r
    sls = r.json["slates"]
    assert [s["rank"] for s in sls] == [1, 2, 3, 4]
    objs = [s["objective"] for s in sls]
    # {5,4,3}=120, {5,4,2}=110, then {5,4,1} or {5,3,2}=100, then the other 100
    assert objs == [120, 110, 100, 100]
    teams = [frozenset(team(s)) for s in sls]
    assert len(set(teams)) == 4
    assert teams[0] == {"p5", "p4", "p3"} and teams[1] == {"p5", "p4", "p2"}
    assert set(teams[2:]) == {frozenset({"p5", "p4", "p1"}), frozenset({"p5", "p3", "p2"})}


def test_top_k_fewer_teams_than_k(tmp_path):
    people = [P(f"p{i}", support=10 * i) for i in range(1, 5)]
    scen = only(C(people), "S02", "S12")
    r = slate(tmp_path, scen, "--top", "10")
    assert r.rc == 0, r
    sls = r.json["slates"]
    teams = [frozenset(team(s)) for s in sls]
    assert len(sls) == 4 == len(set(teams))  # C(4,3) teams
    objs = [s["objective"] for s in sls]
    assert objs == sorted(objs, reverse=True) == [90, 80, 70, 60]


def test_top_k_default_rules(tmp_path):
    r = slate(tmp_path, C(base_people()), "--top", "3")
    sls = r.json["slates"]
    assert r.rc == 0 and len(sls) == 3, r
    assert [s["objective"] for s in sls] == [80, 70, 60]  # {a,c,d}, {a,b,d}, {a,b,c}
    assert len({frozenset(team(s)) for s in sls}) == 3


# ---------------------------------------------------------------- locks, excludes, why-not


def test_locks_and_excludes(tmp_path):
    scen = C(base_people())
    sl = ok(slate(tmp_path, scen, "--lock", "e"))
    assert "e" in everyone(sl)
    sl = ok(slate(tmp_path, scen, "--lock", "e=residents_committee"))
    assert "e" in holders(sl, "residents_committee")
    sl = ok(slate(tmp_path, scen, "--lock", "e=party_committee.deputy_secretary"))
    assert sl["posts"]["party_committee"]["deputy_secretary"] == "e"
    sl = ok(slate(tmp_path, scen, "--lock", "b=supervisory_committee.director"))
    assert sl["posts"]["supervisory_committee"]["director"] == "b"
    sl = ok(slate(tmp_path, scen, "--exclude", "d"))
    assert "d" not in everyone(sl)
    assert sl["objective"] == 10 + 30 + 20
    # locks and excludes always hold: excluding the only woman leaves no slate, and they are not blamed
    r = slate(tmp_path, scen, "--exclude", "a")
    assert r.rc == 1 and r.json["status"] == "infeasible"
    conflict = r.json["explanation"]["conflict"]
    assert all(c in SLATE_RULES for c in conflict)
    assert_slate_minimal(tmp_path, scen, conflict, "--exclude", "a")


def test_lock_unknown_person_is_bad_input(tmp_path):
    r = slate(tmp_path, C(base_people()), "--lock", "nobody")
    assert r.rc == 2, r
    assert "Traceback" not in r.err + r.out


def test_why_not_costs(tmp_path):
    r = slate(tmp_path, C(base_people()), "--why-not", "e")
    assert r.rc == 0, r
    sl = r.json["slates"][0]
    assert sl["objective"] == 80 and "e" not in team(sl)
    wn = r.json["why_not"]
    assert wn["possible"] is True
    assert wn["cost"] == 25
    assert "e" in everyone(wn["slate"]) and wn["slate"]["objective"] == 55


def test_why_not_impossible(tmp_path):
    people = base_people() + [P("q", disqualifications=["D03"], support=99)]
    r = slate(tmp_path, C(people), "--why-not", "q")
    assert r.rc == 0, r
    expl = r.json["explanation"]
    assert expl is not None and expl["conflict"] == ["S04"]
    assert "q" in expl["message"]


def test_why_not_minimal_pair(tmp_path):
    # n is not a Party member and stands only for the Party committee: S03 + S15 keep it out
    people = base_people() + [P("n", party_member=False, party_joined=None, stands_for=["party_committee"])]
    r = slate(tmp_path, only(C(people), "S03", "S15"), "--why-not", "n")
    assert r.rc == 0, r
    assert sorted(r.json["explanation"]["conflict"]) == ["S03", "S15"]


# ---------------------------------------------------------------- no people


@pytest.mark.parametrize("absent", [True, False])
def test_no_people(tmp_path, absent):
    scen = C([])
    if absent:
        scen.pop("people")
    r = planner(tmp_path, "slate", scen, json_out=False)
    assert r.rc == 1, r
    text = (r.out + r.err).lower()
    assert "candidate" in text or "候选" in text, r
    r = slate(tmp_path, scen)
    assert r.rc == 1 and r.json is not None, r
    r = planner(tmp_path, "check", scen, json_out=False)
    assert r.rc == 0, r
    r = schedule(tmp_path, scen)
    assert r.rc == 0, r


# ---------------------------------------------------------------- verify


def test_verify_saved_plan(tmp_path):
    scen = C(base_people())
    spath = write(tmp_path, scen, "community.json")
    r = planner(tmp_path, "slate", spath)
    assert r.rc == 0, r
    plan = tmp_path / "plan.json"
    plan.write_text(r.out, encoding="utf-8")
    v = planner(tmp_path, "verify", spath, str(plan), json_out=False)
    assert v.rc == 0, v
    # hand-edit: the director is no longer the secretary (S02)
    data = json.loads(r.out)
    sl = data["slates"][0]
    sec = sl["posts"]["party_committee"]["secretary"]
    other = next(p for p in "bcde" if p != sec and p not in holders(sl, "residents_committee"))
    sl["posts"]["residents_committee"]["director"] = other
    plan.write_text(json.dumps(data), encoding="utf-8")
    v = planner(tmp_path, "verify", spath, str(plan), json_out=False)
    assert v.rc == 1, v
    assert "S02" in v.out + v.err
    # hand-edit: a woman-free team (S09)
    data = json.loads(r.out)
    sl = data["slates"][0]
    pc = sl["posts"]["party_committee"]
    for post in ("secretary", "deputy_secretary", "discipline_inspector"):
        if pc[post] == "a":
            pc[post] = "b" if "b" not in holders(sl, "party_committee") else "e"
    rcp = sl["posts"]["residents_committee"]
    for post in ("director", "deputy_director"):
        if rcp[post] == "a":
            rcp[post] = (
                pc["discipline_inspector"]
                if False
                else next(x for x in ("b", "e") if x in holders(sl, "party_committee"))
            )
    if sl["posts"]["supervisory_committee"]["director"] == "a":
        sl["posts"]["supervisory_committee"]["director"] = pc["discipline_inspector"]
    plan.write_text(json.dumps(data), encoding="utf-8")
    v = planner(tmp_path, "verify", spath, str(plan), json_out=False)
    assert v.rc == 1, v
    assert "S09" in v.out + v.err


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda s: s.update(relatives=[{"a": "a", "b": "b", "relation": "cousin"}]), "relation"),
        (lambda s: s["people"][0].pop("gender"), "gender"),
        (lambda s: s["people"][0].update(birth_date="1990-13-45"), "birth_date"),
        (lambda s: s["people"][0].update(support=120), "support"),
        (lambda s: s["people"][0].update(ethnicity="火星族"), "ethnicity"),
        (lambda s: s["people"][0].update(stands_for=["village_committee"]), "stands_for"),
        (lambda s: s["rules"].update(disabled=["S99"]), "disabled"),
        (lambda s: s["people"][1].update(id="a"), "id"),
        (lambda s: s["people"][0].update(party_joined=None), "party_joined"),
        (lambda s: s["people"][0].update(joint_review="maybe"), "joint_review"),
        (lambda s: s["people"][0].update(disqualifications=["D18"]), "disqualifications"),
        (lambda s: s.update(relatives=[{"a": "a", "b": "zz", "relation": "spouse"}]), "b"),
    ],
)
def test_bad_input(tmp_path, mutate, field):
    scen = C(base_people())
    mutate(scen)
    scen["people"][0] = {k: v for k, v in scen["people"][0].items() if v is not None}
    path = write(tmp_path, scen, "broken.json")
    for cmd in ("check", "slate", "schedule"):
        r = planner(tmp_path, cmd, path, json_out=False)
        assert r.rc == 2, (cmd, r)
        text = r.out + r.err
        assert "Traceback" not in text
        assert "broken.json" in text, (cmd, r)
        assert field in text, (cmd, r)
    r = planner(tmp_path, "slate", path)
    assert r.rc == 2 and r.json is not None, r


def test_bad_yaml_and_missing_file(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("kind: community\nid: [unclosed\n", encoding="utf-8")
    r = planner(tmp_path, "check", p, json_out=False)
    assert r.rc == 2 and "Traceback" not in r.out + r.err and "bad.yaml" in r.out + r.err, r
    r = planner(tmp_path, "slate", tmp_path / "missing.yaml", json_out=False)
    assert r.rc == 2 and "Traceback" not in r.out + r.err and "missing.yaml" in r.out + r.err, r
    r = planner(tmp_path, "slate", p)
    assert r.rc == 2 and r.json is not None, r


def test_unknown_keys_are_bad_input_but_user_keys_are_kept(tmp_path):
    scen = C(base_people(), note="extra")
    r = slate(tmp_path, scen)
    assert r.rc == 2 and "notes" in r.err, r  # the closest known key is suggested
    scen = C(base_people(), notes="extra", x_office="组织办")
    scen["people"][0]["x_nickname"] = "x"
    ok(slate(tmp_path, scen))


def test_yaml_scenario_accepted(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "kind: community\nid: y1\nname: 社区\nreference_date: 2020-12-10\n"
        "rules: {seats: {party_committee: 3, residents_committee: 2, supervisory_committee: 1}}\n"
        "people:\n"
        + "".join(
            f"  - {{id: {i}, name: 人{i}, gender: {'F' if i == 'a' else 'M'}, birth_date: "
            f"{'1990-01-01' if i == 'a' else '1980-01-01'}, education: college, party_member: true, "
            f"party_joined: 2010-01-01, joint_review: passed, support: {s}}}\n"
            for i, s in zip("abcde", (10, 20, 30, 40, 5), strict=False)
        ),
        encoding="utf-8",
    )
    r = planner(tmp_path, "slate", p)
    assert r.rc == 0 and r.json["slates"][0]["objective"] == 80, r
    r = planner(tmp_path, "check", p, json_out=False)
    assert r.rc == 0, r


# ================================================================ schedules


def S(stages: list[dict[str, Any]], **sched: Any) -> dict[str, Any]:
    sch = {"template": "none", "stages": stages}
    sch.update(sched)
    return {"kind": "community", "id": "sch", "name": "日程", "reference_date": "2020-12-10", "schedule": sch}


def st(sid: str, window: tuple[str, str] = ("2021-01-04", "2021-01-31"), **kw: Any) -> dict[str, Any]:
    d = {"id": sid, "window": list(window)}
    d.update(kw)
    return d


def stages_of(r: Run, community: str = "sch") -> dict[str, dict[str, Any]]:
    assert r.rc == 0, r
    assert r.json["status"] in ("optimal", "feasible"), r
    return {s["id"]: s for s in r.json["communities"][community]["stages"]}


def with_sched_only(
    scen: dict[str, Any], rules: list[str], pins: list[str], cli_pins: list[str]
) -> tuple[dict, list]:
    s = copy.deepcopy(scen)
    disabled = [r for r in SCHEDULE_RULES if r not in rules]
    if s["kind"] == "subdistrict":  # inline communities carry the rules
        for c in s["communities"]:
            c.setdefault("rules", {})["disabled"] = disabled
        return s, []
    s.setdefault("rules", {})["disabled"] = disabled
    sch = s["schedule"]
    sch["pin"] = {k: v for k, v in sch.get("pin", {}).items() if f"pin:{k}" in pins}
    args: list[str] = []
    for p in cli_pins:
        if f"pin:{p.split('=')[0]}" in pins:
            args += ["--pin", p]
    return s, args


def sched_infeasible(
    tmp_path: Path,
    scen: dict[str, Any],
    *pins: str,
    expect: list[str] | None = None,
    contains: list[str] = (),
) -> list[str]:
    args = [a for p in pins for a in ("--pin", p)]
    r = schedule(tmp_path, scen, *args)
    assert r.rc == 1, r
    assert r.json["status"] == "infeasible", r
    conflict = r.json["explanation"]["conflict"]
    assert r.json["explanation"]["message"]
    if expect is not None:
        assert sorted(conflict) == sorted(expect), r
    for c in contains:
        assert c in conflict, r
    assert conflict and len(set(conflict)) == len(conflict)
    rules = [c for c in conflict if not c.startswith("pin:")]
    pin_items = [c for c in conflict if c.startswith("pin:")]
    assert set(rules) <= set(SCHEDULE_RULES), conflict
    s2, a2 = with_sched_only(scen, rules, pin_items, list(pins))
    r2 = schedule(tmp_path, s2, *a2)
    assert r2.rc == 1 and r2.json["status"] == "infeasible", (conflict, r2)
    for drop in conflict:
        s3, a3 = with_sched_only(
            scen, [x for x in rules if x != drop], [x for x in pin_items if x != drop], list(pins)
        )
        r3 = schedule(tmp_path, s3, *a3)
        assert r3.rc == 0 and r3.json["status"] in ("optimal", "feasible"), (conflict, drop, r3)
    return conflict


def test_schedule_json_shape_gap_and_slack(tmp_path):
    scen = S([st("a", duration=3), st("b", duration=2, after=[{"stage": "a", "gap": 2}])])
    r = schedule(tmp_path, scen)
    assert r.json["scenario"] == "sch" and r.json["explanation"] is None and r.json["status"] == "optimal"
    got = stages_of(r)
    assert (got["a"]["start"], got["a"]["end"]) == ("2021-01-04", "2021-01-06")
    assert (got["b"]["start"], got["b"]["end"]) == ("2021-01-08", "2021-01-09")  # start >= end + gap
    # latest: b ends 01-31 -> starts 01-30; a ends <= 01-28 -> starts 01-26
    assert got["a"]["slack_days"] == 22 and got["b"]["slack_days"] == 22
    for s in got.values():
        assert set(s) >= {"id", "start", "end", "slack_days"}


@pytest.mark.parametrize(
    "gap,start", [(None, "2021-01-07"), (0, "2021-01-06"), (1, "2021-01-07"), (5, "2021-01-11")]
)
def test_schedule_gap_semantics(tmp_path, gap, start):
    entry: dict[str, Any] = {"stage": "a"} if gap is None else {"stage": "a", "gap": gap}
    scen = S([st("a", duration=3), st("b", after=[entry])])
    got = stages_of(schedule(tmp_path, scen))
    assert got["b"]["start"] == start
    assert got["b"]["end"] == start  # duration defaults to 1


def test_schedule_after_shorthand_string(tmp_path):
    scen = S([st("a", duration=3), st("b", after=["a"])])
    assert stages_of(schedule(tmp_path, scen))["b"]["start"] == "2021-01-07"


def test_slack_definition_by_pins(tmp_path):
    scen = S(
        [
            st("a", duration=3),
            st("b", duration=4, after=[{"stage": "a", "gap": 3}]),
            st("c", ("2021-01-04", "2021-01-20"), duration=2, after=[{"stage": "b"}]),
        ]
    )
    got = stages_of(schedule(tmp_path, scen))
    for sid, s in got.items():
        latest = _add(s["start"], s["slack_days"])
        stages_of(schedule(tmp_path, scen, "--pin", f"{sid}={latest}"))
        r = schedule(tmp_path, scen, "--pin", f"{sid}={_add(latest, 1)}")
        assert r.rc == 1 and r.json["status"] == "infeasible", (sid, r)
    # c ends by 01-20: starts <= 01-19; b ends <= 01-18 -> starts <= 01-15; a ends <= 01-12 -> starts <= 01-10
    assert got["a"]["slack_days"] == 6
    assert got["c"]["slack_days"] == 6
    crit = r.json.get("communities", {})  # infeasible run: nothing to check
    assert crit == {} or isinstance(crit, dict)


def test_critical_path_is_zero_slack(tmp_path):
    scen = S(
        [
            st("a", ("2021-01-04", "2021-01-06"), duration=3),
            st("b", ("2021-01-04", "2021-01-31"), after=["a"]),
        ]
    )
    r = schedule(tmp_path, scen)
    got = stages_of(r)
    assert got["a"]["slack_days"] == 0
    assert got["b"]["slack_days"] == 31 - 7
    cp = r.json["communities"]["sch"].get("critical_path")
    if cp is not None:
        assert "a" in cp and "b" not in cp


def _add(d: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(d) + timedelta(days=n)).isoformat()


def test_t01_window(tmp_path):
    scen = S([st("a", ("2021-01-04", "2021-01-06"), duration=5)])
    assert schedule(tmp_path, scen).rc == 2  # a stage longer than its window is bad input
    sched_infeasible(
        tmp_path,
        S([st("a", ("2021-01-04", "2021-01-08"), duration=5)]),
        "a=2021-01-06",
        expect=["T01", "pin:a"],
    )
    got = stages_of(schedule(tmp_path, S([st("a", ("2021-01-04", "2021-01-08"), duration=5)])))
    assert got["a"]["end"] == "2021-01-08"


def test_t02_precedence(tmp_path):
    scen = S(
        [
            st("a", ("2021-01-04", "2021-01-10"), duration=5),
            st("b", ("2021-01-04", "2021-01-10"), duration=3, after=[{"stage": "a"}]),
        ]
    )
    sched_infeasible(tmp_path, scen, expect=["T01", "T02"])


def test_t02_pin_conflict(tmp_path):
    scen = S([st("a", duration=3), st("b", duration=2, after=[{"stage": "a", "gap": 2}])])
    conflict = sched_infeasible(tmp_path, scen, "b=2021-01-06", contains=["T02", "pin:b"])
    assert set(conflict) <= {"T01", "T02", "pin:b"}


def test_scenario_pin_and_cli_pin(tmp_path):
    scen = S([st("a", duration=3), st("b", after=["a"])], pin={"a": "2021-01-10"})
    got = stages_of(schedule(tmp_path, scen))
    assert got["a"]["start"] == "2021-01-10" and got["b"]["start"] == "2021-01-13"
    got = stages_of(schedule(tmp_path, scen, "--pin", "b=2021-01-20"))
    assert got["a"]["start"] == "2021-01-10" and got["b"]["start"] == "2021-01-20"
    sched_infeasible(
        tmp_path,
        S([st("a", duration=3), st("b", after=["a"])], pin={"b": "2021-01-05"}),
        contains=["pin:b", "T02"],
    )


def test_t03_publicity(tmp_path):
    assert schedule(tmp_path, S([st("p", duration=4, publicity=True)])).rc == 2  # below the statutory floor
    stages_of(schedule(tmp_path, S([st("p", duration=5, publicity=True)])))
    stages_of(schedule(tmp_path, S([st("p", duration=4, publicity=False)])))


def test_t03_spans_calendar_days_in_working_units(tmp_path):
    # 4 working days Thu 01-07 .. Tue 01-12 span 6 calendar days: enough
    got = stages_of(
        schedule(
            tmp_path, S([st("p", ("2021-01-07", "2021-01-12"), duration=4, unit="working", publicity=True)])
        )
    )
    assert (got["p"]["start"], got["p"]["end"]) == ("2021-01-07", "2021-01-12")
    # Mon 01-04 .. Thu 01-07: 4 calendar days
    conflict = sched_infeasible(
        tmp_path,
        S([st("p", ("2021-01-04", "2021-01-07"), duration=4, unit="working", publicity=True)]),
        contains=["T03"],
    )
    assert "T04" not in conflict or "T01" in conflict


@pytest.mark.parametrize(
    "window,duration,start,end",
    [
        (("2021-02-10", "2021-02-28"), 3, "2021-02-10", "2021-02-19"),  # Wed, then 11-17 off, Thu 18, Fri 19
        (("2021-02-18", "2021-02-28"), 5, "2021-02-18", "2021-02-23"),  # Sat 20 is a make-up working day
        (("2021-02-05", "2021-02-28"), 2, "2021-02-05", "2021-02-07"),  # Sun 7 is a make-up working day
        (("2021-02-11", "2021-02-28"), 1, "2021-02-18", "2021-02-18"),  # starts on a working day
        (("2021-01-01", "2021-01-31"), 1, "2021-01-04", "2021-01-04"),  # New Year 1-3 off
    ],
)
def test_t04_working_units_spring_festival(tmp_path, window, duration, start, end):
    got = stages_of(schedule(tmp_path, S([st("w", window, duration=duration, unit="working")])))
    assert (got["w"]["start"], got["w"]["end"]) == (start, end)


def test_t04_working_stage_pinned_on_holiday(tmp_path):
    scen = S([st("w", ("2021-02-01", "2021-02-28"), duration=2, unit="working")])
    sched_infeasible(tmp_path, scen, "w=2021-02-13", contains=["T04", "pin:w"])


@pytest.mark.parametrize(
    "allowed,window,day",
    [
        ("weekends", ("2021-01-04", "2021-01-15"), "2021-01-09"),
        ("weekends", ("2021-02-10", "2021-02-20"), "2021-02-11"),  # Spring Festival holiday is a rest day
        ("weekends", ("2021-02-18", "2021-02-25"), "2021-02-21"),  # Sat 20 is a make-up working day
        ("workdays", ("2021-02-06", "2021-02-20"), "2021-02-07"),  # Sun 7 is a make-up working day
        ("workdays", ("2021-02-11", "2021-02-25"), "2021-02-18"),
        ("workdays", ("2021-01-01", "2021-01-10"), "2021-01-04"),
        ("any", ("2021-02-13", "2021-02-20"), "2021-02-13"),
    ],
)
def test_t04_allowed_election_days(tmp_path, allowed, window, day):
    scen = S([st("e", window, election=True)], allowed_election_days=allowed)
    got = stages_of(schedule(tmp_path, scen))
    assert got["e"]["start"] == day == got["e"]["end"]


def test_t04_election_pinned_on_disallowed_day(tmp_path):
    scen = S([st("e", election=True)], allowed_election_days="weekends")
    sched_infeasible(tmp_path, scen, "e=2021-01-06", expect=["T04", "pin:e"])


def test_holidays_and_workdays_extras(tmp_path):
    scen = S(
        [st("w", ("2021-03-01", "2021-03-31"), duration=2, unit="working")],
        holidays=["2021-03-01", "2021-03-02"],
        workdays=["2021-03-06"],
    )
    got = stages_of(schedule(tmp_path, scen))
    assert (got["w"]["start"], got["w"]["end"]) == ("2021-03-03", "2021-03-04")
    got = stages_of(schedule(tmp_path, scen, "--pin", "w=2021-03-05"))
    assert got["w"]["end"] == "2021-03-06"


def _pc_rc(rc_window=("2021-01-04", "2021-01-28")):
    return [
        st("pc_election", ("2021-01-10", "2021-01-13"), election=True),
        st("rc_election", rc_window, election=True),
    ]


def test_t05_implicit_party_first(tmp_path):
    got = stages_of(schedule(tmp_path, S(_pc_rc())))
    assert got["pc_election"]["start"] == "2021-01-10"
    assert got["rc_election"]["start"] > got["pc_election"]["end"]
    assert got["rc_election"]["start"] == "2021-01-11"
    s = S(_pc_rc())
    s["rules"] = {"disabled": ["T05"]}
    got = stages_of(schedule(tmp_path, s))
    assert got["rc_election"]["start"] == "2021-01-04"
    sched_infeasible(tmp_path, S(_pc_rc(("2021-01-04", "2021-01-10"))), expect=["T01", "T05"])


def test_precedence_binds_through_own_rule(tmp_path):
    stages = [
        st("rc_voter_list", ("2021-01-04", "2021-01-28"), duration=2),
        st("rc_candidates", ("2021-01-04", "2021-01-28"), duration=1),
        st("x", ("2021-01-04", "2021-01-28"), duration=2),
        st(
            "rc_election",
            ("2021-01-04", "2021-01-28"),
            election=True,
            after=[
                {"stage": "rc_voter_list", "gap": 20, "rule": "T09"},
                {"stage": "rc_candidates", "gap": 5, "rule": "T10"},
                {"stage": "x", "gap": 1},
            ],
        ),
    ]
    got = stages_of(schedule(tmp_path, S(stages)))
    assert got["rc_election"]["start"] == "2021-01-25"  # voter list ends 01-05, + 20
    s = S(copy.deepcopy(stages))
    s["rules"] = {"disabled": ["T02"]}
    got = stages_of(schedule(tmp_path, s))
    assert got["rc_election"]["start"] == "2021-01-25"  # T09 still in force
    s["rules"] = {"disabled": ["T02", "T09"]}
    got = stages_of(schedule(tmp_path, s))
    assert got["rc_election"]["start"] == "2021-01-09"  # T10: candidates 01-04 + 5
    s["rules"] = {"disabled": ["T09", "T10"]}
    got = stages_of(schedule(tmp_path, s))
    assert got["rc_election"]["start"] == "2021-01-06"  # only T02 through x: x ends 01-05
    # infeasible T09 alone, and T10 alone
    st9 = copy.deepcopy(stages)
    st9[-1]["window"] = ["2021-01-04", "2021-01-20"]
    sched_infeasible(tmp_path, S(st9), expect=["T01", "T09"])
    st10 = copy.deepcopy(stages)
    st10[-1]["window"] = ["2021-01-04", "2021-01-07"]
    s10 = S(st10)
    s10["rules"] = {"disabled": ["T09"]}
    c = sched_infeasible(tmp_path, s10)
    assert "T10" in c and "T09" not in c


def test_t06_deadlines(tmp_path):
    def scen(**kw):
        return S([st("pc_election", ("2021-01-04", "2021-01-31"), duration=2)], **kw)

    got = stages_of(schedule(tmp_path, scen(), "--pin", "pc_election=2021-01-12"))
    assert got["pc_election"]["end"] == "2021-01-13"
    sched_infeasible(tmp_path, scen(), "pc_election=2021-01-13", expect=["T06", "pin:pc_election"])
    stages_of(
        schedule(tmp_path, scen(deadlines={"pc_election": "2021-01-14"}), "--pin", "pc_election=2021-01-13")
    )
    # rc default 01-28
    s = S([st("rc_election", ("2021-01-04", "2021-02-28"))])
    stages_of(schedule(tmp_path, s, "--pin", "rc_election=2021-01-28"))
    sched_infeasible(tmp_path, s, "rc_election=2021-01-29", expect=["T06", "pin:rc_election"])
    s = S([st("sc_election", ("2021-03-01", "2021-04-30"))])
    stages_of(schedule(tmp_path, s, "--pin", "sc_election=2021-03-31"))
    sched_infeasible(tmp_path, s, "sc_election=2021-04-01", expect=["T06", "pin:sc_election"])
    # overriding one deadline keeps the others
    s = S(
        [st("pc_election", ("2021-01-04", "2021-01-13")), st("rc_election", ("2021-01-04", "2021-02-28"))],
        deadlines={"pc_election": "2021-01-20"},
    )
    sched_infeasible(tmp_path, s, "rc_election=2021-01-29", expect=["T06", "pin:rc_election"])


def test_t08_blackout(tmp_path):
    scen = S([st("a", ("2021-01-04", "2021-01-10"), duration=3)], blackout=["2021-01-05"])
    got = stages_of(schedule(tmp_path, scen))
    assert got["a"]["start"] == "2021-01-06"
    scen = S([st("a", ("2021-01-04", "2021-01-08"), duration=3)], blackout=["2021-01-06"])
    sched_infeasible(tmp_path, scen, expect=["T01", "T08"])
    # working units: a blackout on a weekend inside the span still counts (every day start..end)
    scen = S([st("w", ("2021-01-08", "2021-01-31"), duration=2, unit="working")], blackout=["2021-01-09"])
    got = stages_of(schedule(tmp_path, scen))
    assert got["w"]["start"] == "2021-01-11"


def test_t09_t10_defaults_from_template_entries(tmp_path):
    stages = [
        st("rc_candidates", ("2021-01-04", "2021-01-28"), duration=2),
        st(
            "rc_election",
            ("2021-01-04", "2021-01-28"),
            election=True,
            after=[{"stage": "rc_candidates", "gap": 5, "rule": "T10"}],
        ),
    ]
    got = stages_of(schedule(tmp_path, S(stages)))
    assert got["rc_election"]["start"] == "2021-01-10"


def _sub(tmp_path, communities, **kw):
    sub = {"kind": "subdistrict", "id": "sub", "name": "街道", "communities": communities}
    sub.update(kw)
    return sub


def _comm(cid, stages):
    c = S(stages)
    c["id"] = cid
    return c


def test_t07_capacity(tmp_path):
    wg = [st("w", ("2021-01-04", "2021-01-04"), work_group=True)]
    sub = _sub(tmp_path, [_comm("c1", wg), _comm("c2", wg)], capacity=1)
    sched_infeasible(tmp_path, sub, expect=["T01", "T07"])
    sub["capacity"] = 2
    r = schedule(tmp_path, sub)
    assert r.rc == 0, r
    wg2 = [st("w", ("2021-01-04", "2021-01-05"), work_group=True)]
    r = schedule(tmp_path, _sub(tmp_path, [_comm("c1", wg2), _comm("c2", wg2), _comm("c3", wg2)], capacity=2))
    assert r.rc == 0, r
    days = sorted(r.json["communities"][c]["stages"][0]["start"] for c in ("c1", "c2", "c3"))
    assert days.count("2021-01-04") <= 2 and days.count("2021-01-05") <= 2
    # elections count against the capacity too
    el = [st("e", ("2021-01-09", "2021-01-09"), election=True)]
    sched_infeasible(
        tmp_path, _sub(tmp_path, [_comm("c1", el), _comm("c2", el)], capacity=1), contains=["T07"]
    )
    # stages that are neither elections nor work-group stages do not
    plain = [st("p", ("2021-01-04", "2021-01-04"))]
    assert schedule(tmp_path, _sub(tmp_path, [_comm("c1", plain), _comm("c2", plain)], capacity=1)).rc == 0


def test_subdistrict_files_and_concentrated_day(tmp_path):
    stages = [
        st("pc_election", ("2021-01-04", "2021-01-13"), election=True),
        st("rc_election", ("2021-01-05", "2021-01-28"), election=True),
    ]
    for cid in ("c1", "c2"):
        write(tmp_path, _comm(cid, stages), f"{cid}.json")
    sub = _sub(tmp_path, ["c1.json", "c2.json"], capacity=2, concentrated_election_day="2021-01-20")
    r = schedule(tmp_path, sub)
    assert r.rc == 0, r
    for cid in ("c1", "c2"):
        got = {s["id"]: s for s in r.json["communities"][cid]["stages"]}
        assert got["rc_election"]["start"] == "2021-01-20"
    sub["concentrated_election_day"] = None
    r = schedule(tmp_path, sub)
    for cid in ("c1", "c2"):
        got = {s["id"]: s for s in r.json["communities"][cid]["stages"]}
        assert got["rc_election"]["start"] == "2021-01-05"
        assert got["pc_election"]["start"] == "2021-01-04"


def test_schedule_objective_rc_first(tmp_path):
    # rc_election as early as possible even if that pushes another stage later
    stages = [
        st("pc_election", ("2021-01-04", "2021-01-13"), election=True),
        st("rc_election", ("2021-01-04", "2021-01-28"), election=True),
        st("z", ("2021-01-04", "2021-01-28"), duration=3, after=["pc_election"]),
    ]
    got = stages_of(schedule(tmp_path, S(stages)))
    assert got["pc_election"]["start"] == "2021-01-04"
    assert got["rc_election"]["start"] == "2021-01-05"
    assert got["z"]["start"] == "2021-01-05"


def test_default_template_2020(tmp_path):
    scen = {"kind": "community", "id": "sch", "name": "日程", "reference_date": "2020-12-10"}
    got = stages_of(schedule(tmp_path, scen))
    assert set(got) >= {
        "rectify",
        "pc_election",
        "rc_election",
        "sc_election",
        "five_year_plan",
        "rc_voter_list",
    }
    assert got["pc_election"]["end"] <= "2021-01-13"
    assert got["rc_election"]["end"] <= "2021-01-28"
    assert got["rc_election"]["start"] > got["pc_election"]["end"]
    assert _add(got["rc_voter_list"]["end"], 20) <= got["rc_election"]["start"]
    assert _add(got["rc_candidates"]["end"], 5) <= got["rc_election"]["start"]
    assert _add(got["pc_inspection"]["end"], 1) <= got["pc_publicity"]["start"]
    assert got["rectify"]["start"] >= "2020-10-22" and got["rectify"]["end"] <= "2020-12-09"
    # a stage given in the scenario replaces the template's by id; the others stay
    scen["schedule"] = {
        "stages": [
            {
                "id": "pc_publicity",
                "name": "公示",
                "window": ["2020-12-10", "2021-01-13"],
                "duration": 7,
                "publicity": True,
                "after": [{"stage": "pc_inspection"}],
            }
        ]
    }
    got2 = stages_of(schedule(tmp_path, scen))
    assert set(got2) == set(got)
    p = got2["pc_publicity"]
    assert _add(p["start"], 6) == p["end"]


def test_schedule_bad_input(tmp_path):
    scen = S([st("a", duration=3), st("b", after=[{"stage": "nope"}])])
    path = write(tmp_path, scen, "sched_bad.json")
    r = planner(tmp_path, "schedule", path, json_out=False)
    assert r.rc == 2 and "Traceback" not in r.out + r.err and "sched_bad.json" in r.out + r.err, r
    r = planner(tmp_path, "schedule", S([st("a")]), "--pin", "zzz=2021-01-05", json_out=False)
    assert r.rc == 2 and "Traceback" not in r.out + r.err, r
    r = planner(tmp_path, "schedule", S([st("a")]), "--pin", "a=notadate", json_out=False)
    assert r.rc == 2 and "Traceback" not in r.out + r.err, r


# ================================================================ the real command (subprocess smoke tests)
# Everything above runs planner.cli.main in-process; these few start `python -m planner` itself, so the module
# entry point, the exit status seen by a shell and the UTF-8 output on a real pipe are covered too.


@pytest.mark.subprocess
def test_subprocess_slate(tmp_path):
    r = planner_subprocess(tmp_path, *argv_of(tmp_path, "slate", C(base_people())))
    sl = ok(r)
    assert team(sl) == {"a", "c", "d"} and sl["objective"] == 80
    text = planner_subprocess(tmp_path, *argv_of(tmp_path, "slate", C(base_people()), json_out=False))
    assert text.rc == 0 and text.err == "", text
    assert "人a" in text.out, text  # Chinese names come through the pipe as UTF-8


@pytest.mark.subprocess
def test_subprocess_schedule(tmp_path):
    got = stages_of(planner_subprocess(tmp_path, *argv_of(tmp_path, "schedule", S([st("a", duration=3)]))))
    assert set(got) == {"a"}


@pytest.mark.subprocess
def test_subprocess_bad_input_exit_2(tmp_path):
    scen = C(base_people())
    scen["people"][0]["support"] = 120
    path = write(tmp_path, scen, "broken.json")
    r = planner_subprocess(tmp_path, *argv_of(tmp_path, "check", path, json_out=False))
    assert r.rc == 2, r
    assert "Traceback" not in r.out + r.err and "broken.json" in r.err and "support" in r.err, r
    r = planner_subprocess(tmp_path, *argv_of(tmp_path, "slate", path))
    assert r.rc == 2 and r.json is not None and r.json["status"] == "invalid", r


@pytest.mark.subprocess
def test_subprocess_help(tmp_path):
    r = planner_subprocess(tmp_path, "--help")
    assert r.rc == 0 and r.err == "", r
    for command in ("check", "slate", "schedule", "verify", "export", "app"):
        assert command in r.out, r
