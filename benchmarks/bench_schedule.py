"""Schedule solver benchmark: one community, and a generated sub-district of 20 communities
sharing a work group of capacity 2 (with slack). Targets: < 0.5 s and < 10 s.

Run: python benchmarks/bench_schedule.py [--communities 20] [--capacity 2] [--workers 2] [--distinct K]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.scenario import Community, Subdistrict, parse_scenario
from planner.schedule import plan_schedule


def make_community(cid: str, **schedule: Any) -> Community:
    data = {
        "kind": "community",
        "id": cid,
        "name": f"社区{cid}",
        "reference_date": "2020-12-10",
        "people": [],
        "schedule": schedule,
    }
    scenario = parse_scenario(data, source="<bench>")
    assert isinstance(scenario, Community)
    return scenario


BLACKOUTS = [f"2020-12-{d}" for d in range(28, 32)] + [f"2021-01-{d:02d}" for d in range(1, 20)]


def make_subdistrict(n: int, capacity: int, distinct: int = 0) -> Subdistrict:
    """n template communities; every third one has a blackout day so they differ a little (`distinct` > 0:
    community i's blackout day is the (i mod distinct)-th of 23 dates, so `distinct` classes differ)."""
    sub = parse_scenario(
        {
            "kind": "subdistrict",
            "id": "bench",
            "name": "基准街道",
            "capacity": capacity,
            "communities": [make_community("c00").model_dump(mode="json")],
        },
        source="<bench>",
    )
    assert isinstance(sub, Subdistrict)
    sub.communities = [
        make_community(f"c{i:02d}", blackout=[BLACKOUTS[i % distinct]])
        if distinct
        else make_community(f"c{i:02d}", **({"blackout": ["2021-01-05"]} if i % 3 == 0 else {}))
        for i in range(n)
    ]
    return sub


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--distinct", type=int, default=0, help="classes of communities (blackout days, <= 23)"
    )
    args = parser.parse_args()
    one = make_community("one")
    for label, scenario in (
        ("1 community", one),
        (
            f"{args.communities} communities, capacity {args.capacity}",
            make_subdistrict(args.communities, args.capacity, args.distinct),
        ),
    ):
        started = time.perf_counter()
        result = plan_schedule(scenario, time_limit=60, workers=args.workers)
        seconds = time.perf_counter() - started
        stages = sum(len(s) for s in result.plan.values())
        critical = sum(len(result.critical_path(c)) for c in result.plan)
        print(
            f"{label}: {result.status}, {stages} stages, {critical} on critical paths, {seconds:.2f} s "
            f"(with slack; load {os.getloadavg()[0]:.2f})"
        )


if __name__ == "__main__":
    main()
