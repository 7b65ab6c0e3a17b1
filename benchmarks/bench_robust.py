"""Robust lists (S18) with a previous college share (S10): status and time on random small scenarios.

Usage: python benchmarks/bench_robust.py [FIRST_SEED LAST_SEED TIME_LIMIT]   (default 0 60 10)
Prints one line per scenario and a summary; figures go to benchmarks/RESULTS.md.
"""

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import community, person

from planner.check import check_slate
from planner.slate import SlateOptions, solve_slates

SHARES = [0.0, 0.25, 0.4, 0.5, 0.6, 2 / 3, 0.75, 0.8]
EDU = ["junior_high", "high_school", "vocational", "college", "bachelor", "master"]


def scenario(seed):
    rng = random.Random(seed)
    n = rng.randint(9, 16)
    people = []
    for i in range(1, n + 1):
        f = {
            "gender": rng.choice("FM"),
            "birth_date": f"{rng.randint(1960, 1998)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "education": rng.choice(EDU),
            "support": rng.randint(0, 100),
        }
        if rng.random() < 0.25:
            f.update(party_member=False, party_joined=None)
        else:
            f["party_joined"] = (
                f"{int(f['birth_date'][:4]) + 20}-01-01"
                if int(f["birth_date"][:4]) + 20 < 2020
                else "2019-12-01"
            )
        if rng.random() < 0.2:
            f["stands_for"] = rng.sample(
                ["party_committee", "residents_committee", "supervisory_committee"], rng.randint(1, 3)
            )
        people.append(person(f"p{i:02d}", **f))
    seats = rng.choice(
        [
            {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 2},
            {"party_committee": 4, "residents_committee": 3, "supervisory_committee": 2},
            {"party_committee": 5, "residents_committee": 5, "supervisory_committee": 3},
        ]
    )
    rules = {
        "seats": seats,
        "robust_list": True,
        "differential_ratio": rng.choice([0.2, 0.2, 0.5]),
        "min_women": rng.choice([0, 1, 1]),
        "min_young": rng.choice([0, 1]),
        "rc_party_share_min": rng.choice([0.0, 0.5]),
    }
    if rng.random() < 0.3:
        rules["disabled"] = rng.sample(["S07", "S11", "S12", "S13", "S14", "S19", "S09", "S08"], 2)
    return community(people, rules=rules, previous_term={"college_share": rng.choice(SHARES)})


def main() -> None:
    lo, hi, limit = (
        (int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])) if len(sys.argv) > 3 else (0, 60, 10.0)
    )
    times, statuses = [], []
    for seed in range(lo, hi):
        c = scenario(seed)
        t = time.monotonic()
        r = solve_slates(c, SlateOptions(time_limit=limit, workers=1))
        dt = time.monotonic() - t
        ok = all(ch.ok for ch in check_slate(c, r.slates[0])) if r.slates else None
        times.append(dt)
        statuses.append(r.status)
        print(
            json.dumps(
                {
                    "seed": seed,
                    "status": r.status,
                    "time": round(dt, 3),
                    "objective": r.slates[0].objective if r.slates else None,
                    "checker_ok": ok,
                    "conflict": (r.explanation or {}).get("conflict"),
                },
                ensure_ascii=False,
            )
        )
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(
        f"scenarios {len(times)}  {counts}  total {sum(times):.1f} s  median {statistics.median(times):.3f} s  "
        f"slowest {max(times):.2f} s  over 1 s: {sum(t > 1 for t in times)}"
    )


if __name__ == "__main__":
    main()
