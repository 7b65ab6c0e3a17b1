"""County schedule benchmark: generated counties (benchmarks/generate.py `county_data`), each sub-district
solved by the decomposition, the sub-districts in a process pool. Prints wall seconds, the status, the
conflict of an infeasible county, the per-community cost and the load average (the machine is shared).

Run: python benchmarks/bench_county.py [--subdistricts 10] [--communities 10] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate import county_data

from planner.scenario import County, parse_scenario
from planner.schedule.county import plan_county


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subdistricts", type=int, default=10)
    parser.add_argument("--communities", type=int, default=10)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    n, k = args.subdistricts, args.communities
    cases = [
        (f"{n}x{k}, capacity 3 each", {"capacity": 3}),
        (
            f"{n}x{k}, capacity {k} each, 集中选举日 2021-01-16",
            {"capacity": k, "concentrated_day": "2021-01-16"},
        ),
        (
            f"{n}x{k}, 集中选举日, sub-district s03 capacity 1 (infeasible)",
            {"capacity": k, "concentrated_day": "2021-01-16", "tight": 3},
        ),
    ]
    print(f"{os.cpu_count()} cores; {n * k} communities")
    for label, options in cases:
        county = parse_scenario(county_data(n, k, **options), source="<bench>", county=True)
        assert isinstance(county, County)
        for processes in args.processes:
            before = load()
            started = time.perf_counter()
            result = plan_county(county, processes=processes)
            seconds = time.perf_counter() - started
            conflict = result.explanation["conflict"] if result.explanation else ""
            print(
                f"{label}, {processes} process(es): {result.status} {conflict} {seconds:.2f} s "
                f"({seconds / (n * k) * processes:.3f} core-s per community; {before})"
            )


if __name__ == "__main__":
    main()
