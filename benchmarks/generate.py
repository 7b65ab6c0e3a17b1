"""Generator of realistic fictional communities for benchmarks (sizes 12, 40, 200, 1000 and any other).

Households and families: spouses, parent-child links, siblings derived through a shared parent kept in
`others`, and the odd grandparent, so close relatives (S07) come from derivations, not only listings.
Eligibility mix: about 10% with a disqualification (D01-D17), some pending, failed or unsubmitted joint
reviews, about 45% Party members, ages 22-65, an education mix, preferred-source tags, survey support.
`infeasible=True` gives the same community with no eligible woman (every woman's joint review failed),
so S09 cannot hold: the explanation should blame S05 and S09 together.

    python benchmarks/generate.py 40 --seed 1 > /tmp/c40.json
    python benchmarks/generate.py 0 --county 10x10 --capacity 3 > /tmp/county.json   # 100 communities
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from typing import Any

from planner.scenario import Community, parse_scenario

REFERENCE = date(2020, 12, 10)
SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅海燕文斌宇浩凯鹏晓雪琳欣怡子涵雨萱")
EDUCATION = [
    ("junior_high", 10),
    ("high_school", 18),
    ("vocational", 14),
    ("college", 26),
    ("bachelor", 26),
    ("master", 6),
]
TAGS = ["university_graduate", "veteran", "property_management", "grid_party_secretary", "grid_worker"]
DISQUALIFICATIONS = [f"D{i:02d}" for i in range(1, 18)]
MINORITIES = ["蒙古族", "回族", "满族", "达斡尔族", "朝鲜族"]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _birth(rng: random.Random, age: int) -> date:
    """A birth date making someone `age` full years old on the reference date."""
    return date(REFERENCE.year - age - 1, REFERENCE.month, REFERENCE.day) + timedelta(
        days=rng.randint(1, 364)
    )


def _person(rng: random.Random, pid: str, age: int, gender: str) -> dict[str, Any]:
    born = _birth(rng, age)
    p: dict[str, Any] = {
        "id": pid,
        "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))),
        "gender": gender,
        "birth_date": born.isoformat(),
        "ethnicity": rng.choice(MINORITIES) if rng.random() < 0.12 else "汉族",
        "education": _weighted(rng, EDUCATION),
        "support": max(0, min(100, round(rng.gauss(60, 18)))),
    }
    if rng.random() < 0.45:
        adult = date(born.year + 18, born.month, 28 if (born.month, born.day) == (2, 29) else born.day)
        latest = (REFERENCE - adult).days - 1
        joined = adult + timedelta(
            days=rng.randint(0, latest) if rng.random() < 0.9 else max(0, latest - 300)
        )
        p.update(party_member=True, party_joined=joined.isoformat())
    roll = rng.random()
    if roll < 0.10:
        p["disqualifications"] = rng.sample(DISQUALIFICATIONS, rng.choice([1, 1, 2]))
        p["joint_review"] = "failed"
    elif roll < 0.16:
        p["joint_review"] = "pending"
    elif roll < 0.19:
        p["joint_review"] = "failed"
    elif roll < 0.21:
        p["joint_review"] = "not_submitted"
    else:
        p["joint_review"] = "passed"
    if rng.random() < 0.03:
        p["resident_voter"] = False
    if rng.random() < 0.25:  # some stand for fewer bodies; Party members mostly keep the Party committee
        bodies = ["residents_committee", "supervisory_committee"]
        chosen = rng.sample(bodies, rng.choice([1, 1, 2]))
        if p.get("party_member") and rng.random() < 0.7:
            chosen = ["party_committee", *chosen[:1]]
        p["stands_for"] = chosen
    if rng.random() < 0.35:
        p["tags"] = rng.sample(TAGS, rng.choice([1, 1, 2]))
    if age <= 35 and p["education"] in ("bachelor", "master") and rng.random() < 0.5:
        p.setdefault("tags", []).append("university_graduate")
        p["tags"] = sorted(set(p["tags"]))
    if rng.random() < 0.03:
        p["waivers"] = [rng.choice(["age", "education"])]
    return p


def generate_community(
    n_people: int, seed: int, *, infeasible: bool = False, seats: dict[str, int] | None = None
) -> Community:
    """A realistic fictional community of `n_people` candidates (deterministic for a seed)."""
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    others: list[dict[str, str]] = []
    relatives: list[dict[str, str]] = []

    def new_id() -> str:
        return f"p{len(people) + 1:04d}"

    while len(people) < n_people:
        kind = rng.random()
        room = n_people - len(people)
        if kind < 0.45 or room == 1:  # a single candidate
            people.append(_person(rng, new_id(), rng.randint(22, 65), rng.choice("FM")))
        elif kind < 0.70:  # a couple
            age = rng.randint(26, 63)
            a = _person(rng, new_id(), age, "M")
            people.append(a)
            b = _person(rng, new_id(), max(22, min(65, age + rng.randint(-4, 3))), "F")
            people.append(b)
            relatives.append({"a": a["id"], "b": b["id"], "relation": "spouse"})
        elif kind < 0.88:  # siblings through a shared parent who is not a candidate
            parent = f"x{len(others) + 1:04d}"
            others.append({"id": parent, "name": rng.choice(SURNAMES) + rng.choice(GIVEN)})
            base = rng.randint(24, 60)
            for _ in range(min(room, rng.choice([2, 2, 3]))):
                kid = _person(rng, new_id(), max(22, min(65, base + rng.randint(-5, 5))), rng.choice("FM"))
                people.append(kid)
                relatives.append({"a": parent, "b": kid["id"], "relation": "parent"})
        else:  # parent and child candidates, sometimes a grandchild through the child
            parent_age = rng.randint(50, 65)
            parent = _person(rng, new_id(), parent_age, rng.choice("FM"))
            people.append(parent)
            child = _person(rng, new_id(), max(22, parent_age - rng.randint(24, 32)), rng.choice("FM"))
            people.append(child)
            relatives.append({"a": parent["id"], "b": child["id"], "relation": "parent"})
            if room >= 3 and rng.random() < 0.2:
                grandparent = f"x{len(others) + 1:04d}"
                others.append({"id": grandparent, "name": rng.choice(SURNAMES) + rng.choice(GIVEN)})
                relatives.append({"a": grandparent, "b": parent["id"], "relation": "parent"})
    people = people[:n_people]
    known = {p["id"] for p in people} | {o["id"] for o in others}
    relatives = [r for r in relatives if r["a"] in known and r["b"] in known]

    # Incumbents: an experienced secretary-director, a few members standing again.
    party = [p for p in people if p.get("party_member") and p["joint_review"] == "passed"]
    if party:
        chief = rng.choice(party)
        chief["incumbent"] = ["party_committee.secretary", "residents_committee.director"]
        for p in rng.sample(people, min(len(people), max(1, n_people // 20))):
            p.setdefault("incumbent", [rng.choice(["party_committee.member", "residents_committee.member"])])
    if infeasible:
        for p in people:
            if p["gender"] == "F":
                p["joint_review"] = "failed"
    data = {
        "kind": "community",
        "id": f"gen{n_people}-{seed}" + ("-nowomen" if infeasible else ""),
        "name": f"生成社区{n_people}",
        "subdistrict": "基准街道",
        "reference_date": REFERENCE.isoformat(),
        "multi_ethnic": True,
        "previous_term": {"college_share": 0.4, "rc_party_share": 0.6},
        "rules": {"seats": seats or {}},
        "people": people,
        "others": others,
        "relatives": relatives,
    }
    c = parse_scenario(data, source=f"<generated {n_people}/{seed}>")
    assert isinstance(c, Community)
    return c


def county_data(
    subdistricts: int,
    per_subdistrict: int,
    *,
    people: int = 0,
    capacity: int = 3,
    concentrated_day: str | None = None,
    seed: int = 1,
    tight: int | None = None,
) -> dict[str, Any]:
    """A county (kind: county) of `subdistricts` sub-districts of `per_subdistrict` communities each, as
    data with inline sub-districts and communities. Communities use the seed's 2020 template; every
    third has a blackout day (one of five), and each sub-district has its own work group of `capacity`.
    `people` > 0 gives each community generated candidates. `tight`: that sub-district's capacity is
    1 (with a 集中选举日 and 2+ communities it has no schedule: T07 against the pinned day)."""
    rng = random.Random(seed)
    blackouts = ["2020-12-29", "2021-01-05", "2021-01-06", "2021-01-08", "2021-01-12"]
    subs = []
    for k in range(subdistricts):
        comms = []
        for i in range(per_subdistrict):
            cid = f"s{k:02d}c{i:02d}"
            if people:
                data = json.loads(
                    generate_community(people, seed * 1000 + k * 100 + i).model_dump_json(
                        exclude_defaults=True
                    )
                )
            else:
                data = {"kind": "community", "reference_date": REFERENCE.isoformat()}
            data.update(id=cid, name=f"第{k + 1}街道第{i + 1}社区", subdistrict=f"第{k + 1}街道")
            if i % 3 == 0:
                data["schedule"] = {"blackout": [rng.choice(blackouts)]}
            comms.append(data)
        subs.append(
            {
                "kind": "subdistrict",
                "id": f"s{k:02d}",
                "name": f"第{k + 1}街道",
                "capacity": 1 if tight == k else capacity,
                "communities": comms,
            }
        )
    out: dict[str, Any] = {"kind": "county", "id": "gen-county", "name": "生成旗县", "subdistricts": subs}
    if concentrated_day:
        out["concentrated_election_day"] = concentrated_day
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="people per community")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--infeasible", action="store_true")
    parser.add_argument("--county", metavar="SUBxCOMM", help="a county, e.g. 10x10 (JSON of kind: county)")
    parser.add_argument("--capacity", type=int, default=3, help="county: each sub-district's capacity")
    parser.add_argument("--concentrated-day", help="county: a county-wide 集中选举日 (YYYY-MM-DD)")
    args = parser.parse_args()
    if args.county:
        subs, per = (int(x) for x in args.county.lower().split("x"))
        data = county_data(
            subs,
            per,
            people=args.n,
            capacity=args.capacity,
            concentrated_day=args.concentrated_day,
            seed=args.seed,
        )
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    c = generate_community(args.n, args.seed, infeasible=args.infeasible)
    print(json.dumps(json.loads(c.model_dump_json(exclude_defaults=True)), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
