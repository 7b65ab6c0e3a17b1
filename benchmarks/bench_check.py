"""Large communities: `planner check` of a generated 5,000-person YAML scenario (a child process, as a
user runs it: imports, parse, validation, eligibility, relatives, the report) and the optimal slate at
5,000 people in process. Prints wall seconds, the CPU seconds of the process (what the machine's load
does not change) and the load average. Targets: check < 2 s, slate < 4 s.

Run: python benchmarks/bench_check.py [--people 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate import generate_community

from planner.slate import SlateOptions, solve_slates


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    community = generate_community(args.people, 1)
    data = json.loads(community.model_dump_json(exclude_defaults=True))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"c{args.people}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"{args.people:,} people, {path.stat().st_size / 1e6:.2f} MB of YAML")
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            cpu, started = cpu_of_children(), time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "planner", "check", str(path)], cwd=ROOT, capture_output=True
            )
            wall, cpu = time.perf_counter() - started, cpu_of_children() - cpu
            assert done.returncode == 0, done.stderr
            print(f"  planner check: {wall:.2f} s wall, {cpu:.2f} s CPU (load {load:.2f})")
    for _ in range(args.repeat):
        load = os.getloadavg()[0]
        cpu, started = time.process_time(), time.perf_counter()
        result = solve_slates(community, SlateOptions(top=1, workers=2))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        solver = result.solver
        print(
            f"  slate optimal: {result.status}, objective {solver.get('objective')}, gap {solver.get('gap')}, "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU (load {load:.2f}; {solver.get('people_in_model')} people in model)"
        )


if __name__ == "__main__":
    main()
