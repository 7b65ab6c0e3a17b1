"""Batch benchmark: `planner slate` and `planner schedule` on a generated county, in 1 and 2 processes,
with the measured cost per community and the extrapolation to a province of about 14,000 嘎查村 and
communities. The machine is shared: the load average is printed with each figure.

Run: python benchmarks/bench_batch.py [--subdistricts 4] [--communities 5] [--people 40] [--top 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate import county_data

PROVINCE = 14_000


def run(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subdistricts", type=int, default=4)
    parser.add_argument("--communities", type=int, default=5)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    n = args.subdistricts * args.communities
    data = county_data(args.subdistricts, args.communities, people=args.people, capacity=3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        print(f"{os.cpu_count()} cores; county of {n} communities x {args.people} people")
        costs = {}
        for what, extra in (
            (f"slate --top {args.top}", ["slate", "--top", str(args.top), "--json", "--workers", "1"]),
            ("schedule", ["schedule", "--json"]),
        ):
            for processes in (1, 2):
                load = os.getloadavg()[0]
                seconds = run([extra[0], str(path), *extra[1:], "--processes", str(processes)])
                per = seconds * processes / n
                costs.setdefault(what, per if processes == 1 else costs.get(what, per))
                print(
                    f"  {what:<14} {processes} process(es): {seconds:6.2f} s wall, {seconds / n:.3f} s per "
                    f"community ({per:.3f} core-s; load {load:.2f})"
                )
        total = sum(costs.values()) * PROVINCE
        print(
            f"province of {PROVINCE:,}: {total:,.0f} core-s = {total / 3600:.1f} core-hours; "
            f"{total / 3600 / 2:.1f} h on these 2 cores, {total / 60 / 16:.0f} min on 16 cores"
        )


if __name__ == "__main__":
    main()
