"""Hypothesis strategies generating small valid communities (through tests/conftest.py person()/community()).

Sizes are kept small (6-10 people, a few seats) so that the brute-force enumerator in tests/brute_slate.py
can judge every instance. Generated data is always valid input: Party members join at 18 or older,
before the reference date; parents are at least 14 years older than their children
(so no one is their own ancestor), nobody has two spouses or more than two parents.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

from helpers import community, person  # tests/ is on pytest's pythonpath
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from planner.rules import SLATE_RULES
from planner.scenario import EDUCATION_LEVELS, PREFERRED_TAGS, Community

REFERENCE = date(2020, 12, 10)
SWITCHABLE = [r for r in SLATE_RULES if r != "S01"]  # S02..S19
MINORITIES = ["蒙古族", "回族", "满族", "朝鲜族"]
SHARES = [0.0, 0.25, 0.4, 0.5, 0.6, 2 / 3, 0.75, 0.8, 1.0]


def parity_settings(examples: int, *, random_ok: bool = True) -> settings:
    """Hypothesis settings of a brute-force parity test: `examples` instances, no deadline, no example
    database, the same instances on every run unless PARITY_RANDOM is set (and `random_ok`)."""
    return settings(
        max_examples=max(1, examples),
        deadline=None,
        derandomize=not (random_ok and os.environ.get("PARITY_RANDOM")),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def _birth(age: int, extra_days: int) -> date:
    """A birth date making someone `age` full years old on the reference date."""
    return REFERENCE.replace(year=REFERENCE.year - age - 1) + timedelta(days=1 + extra_days % 364)


@st.composite
def people_dicts(draw: st.DrawFn, n: int, *, eligible_bias: float = 0.85) -> list[dict[str, Any]]:
    """`n` people as dicts for conftest.person(); most are eligible, some are barred for various reasons."""
    out = []
    for i in range(n):
        pid = f"p{i + 1:02d}"
        age = draw(st.one_of(st.integers(22, 65), st.integers(22, 65), st.integers(16, 70)))
        born = _birth(age, draw(st.integers(0, 363)))
        fields: dict[str, Any] = {
            "gender": draw(st.sampled_from(["F", "M"])),
            "birth_date": born.isoformat(),
            "education": draw(st.sampled_from(EDUCATION_LEVELS[1:7])),
            "support": draw(st.integers(0, 100)),
        }
        member = draw(st.booleans()) or draw(st.booleans())  # about 75% Party members
        if member and age >= 19:
            adult = (
                born.replace(year=born.year + 18)
                if not (born.month == 2 and born.day == 29)
                else date(born.year + 18, 3, 1)
            )
            span = (REFERENCE - adult).days - 1
            # Recent joiners too, so S06's standing matters.
            offset = draw(st.one_of(st.integers(0, span), st.integers(max(0, span - 500), span)))
            fields["party_member"] = True
            fields["party_joined"] = (adult + timedelta(days=offset)).isoformat()
        else:
            fields["party_member"] = False
            fields["party_joined"] = None
        good = draw(st.floats(0, 1)) < eligible_bias
        if good:
            fields["joint_review"] = "passed"
        else:
            kind = draw(st.sampled_from(["review", "disq", "voter", "stands"]))
            if kind == "review":
                fields["joint_review"] = draw(
                    st.sampled_from(["pending", "pending", "failed", "not_submitted"])
                )
            elif kind == "disq":
                fields["disqualifications"] = draw(
                    st.lists(
                        st.sampled_from(["D01", "D06", "D09", "D12", "D17"]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                )
            elif kind == "voter":
                fields["resident_voter"] = False
            else:
                fields["stands_for"] = []
        if "stands_for" not in fields and draw(st.integers(0, 3)) == 0:
            fields["stands_for"] = draw(
                st.lists(
                    st.sampled_from(["party_committee", "residents_committee", "supervisory_committee"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
        if draw(st.integers(0, 2)) == 0:
            fields["tags"] = draw(
                st.lists(st.sampled_from([*PREFERRED_TAGS, "other"]), max_size=3, unique=True)
            )
        eth = draw(st.sampled_from([None, "汉族", "汉族", *MINORITIES[:2]]))
        if eth is not None:
            fields["ethnicity"] = eth
        if draw(st.integers(0, 7)) == 0:
            fields["incumbent"] = [
                draw(
                    st.sampled_from(
                        [
                            "party_committee.secretary",
                            "residents_committee.director",
                            "party_committee.member",
                        ]
                    )
                )
            ]
        if draw(st.integers(0, 7)) == 0:
            fields["waivers"] = draw(
                st.lists(st.sampled_from(["age", "education"]), min_size=1, max_size=2, unique=True)
            )
        out.append(person(pid, **fields))
    return out


@st.composite
def relatives_dicts(
    draw: st.DrawFn, people: list[dict[str, Any]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A few relations without contradictions, and `others` linking siblings through a shared parent.

    Parents are at least 14 years older than their children (grandparents 28), each pair holds one relation,
    nobody has two spouses or more than two parents: what the validator asks of a real family."""
    ids = [p["id"] for p in people]
    born = {p["id"]: date.fromisoformat(p["birth_date"]) for p in people}
    rels: list[dict[str, str]] = []
    others: list[dict[str, str]] = []
    parents: dict[str, int] = {}
    related: set[frozenset[str]] = set()
    married: set[str] = set()
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        kind = draw(st.sampled_from(["spouse", "sibling", "parent", "child", "grandparent", "grandchild"]))
        if frozenset((a, b)) in related or (kind == "spouse" and {a, b} & married):
            continue
        if kind in ("parent", "grandparent", "child", "grandchild"):
            elder, younger = sorted((a, b), key=born.__getitem__)
            if (born[younger] - born[elder]).days < 366 * (14 if kind in ("parent", "child") else 28):
                continue
            a, b = (elder, younger) if kind in ("parent", "grandparent") else (younger, elder)
        if kind in ("parent", "child"):
            child = b if kind == "parent" else a
            if parents.get(child, 0) >= 2:
                continue
            parents[child] = parents.get(child, 0) + 1
        if kind == "spouse":
            married |= {a, b}
        related.add(frozenset((a, b)))
        rels.append({"a": a, "b": b, "relation": kind})
    if draw(st.integers(0, 2)) == 0:
        kids = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
        kids = [k for k in kids if parents.get(k, 0) < 2]
        if len(kids) >= 2:
            others.append({"id": "x01", "name": "某某"})
            for k in kids:
                rels.append({"a": "x01", "b": k, "relation": "parent"})
                parents[k] = parents.get(k, 0) + 1
    return rels, others


@st.composite
def rule_settings(draw: st.DrawFn, *, small_seats: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rules, top-level extras): random switched-off rules, parameters, previous term, multi-ethnic."""
    disabled = [
        r for r in SWITCHABLE if draw(st.integers(0, 2)) == 0
    ]  # each rule off about a third of the time
    seats = (
        {
            "party_committee": draw(st.sampled_from([3, 3, 4])),
            "residents_committee": draw(st.sampled_from([2, 3])),
            "supervisory_committee": draw(st.sampled_from([1, 2])),
        }
        if small_seats
        else {}
    )
    rules: dict[str, Any] = {
        "seats": seats,
        "disabled": disabled,
        "min_women": draw(st.integers(0, 2)),
        "min_young": draw(st.sampled_from([0, 1, 1, 2])),
        "young_max_age": draw(st.sampled_from([35, 35, 40])),
        "secretary_max_age": draw(st.sampled_from([45, 45, 55])),
        "secretary_min_party_years": draw(st.sampled_from([1, 1, 3])),
        "secretary_min_education": draw(st.sampled_from(["college", "college", "high_school", "bachelor"])),
        "rc_party_share_min": draw(st.sampled_from([0.5, 0.5, 0.0, 0.6])),
        "differential_ratio": draw(st.sampled_from([0.2, 0.2, 0.0, 0.5])),
        "robust_list": draw(st.integers(0, 4)) == 0,
        "recusal_supervisory": draw(st.integers(0, 3)) != 0,
    }
    if draw(st.integers(0, 3)) == 0:
        rules["weights"] = {
            "support": draw(st.integers(0, 2)),
            "preferred_source": draw(st.integers(0, 7)),
            "continuity": draw(st.integers(0, 10)),
        }
    extras: dict[str, Any] = {"multi_ethnic": draw(st.booleans())}
    previous: dict[str, float] = {}
    if draw(st.booleans()):
        previous["college_share"] = draw(st.sampled_from(SHARES))
    if draw(st.booleans()):
        previous["rc_party_share"] = draw(st.sampled_from(SHARES))
    if previous:
        extras["previous_term"] = previous
    return rules, extras


@st.composite
def communities(draw: st.DrawFn, min_people: int = 6, max_people: int = 9) -> Community:
    """A small valid community with random people, relatives and rule settings."""
    n = draw(st.integers(min_people, max_people))
    people = draw(people_dicts(n))
    rels, others = draw(relatives_dicts(people))
    rules, extras = draw(rule_settings())
    return community(people, relatives=rels, others=others, rules=rules, **extras)
