"""Scenario loader benchmark: parse time of a 5,000-person YAML scenario (and the same data as JSON).

Compares planner.loader on PyYAML's C-based safe loader (libyaml) with the pure-Python SafeLoader
fallback, and with a plain `yaml.load` of the same text for reference (no safety checks, no lines).

    python benchmarks/bench_loader.py              # 5000 people, best of 3
    python benchmarks/bench_loader.py --people 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_loader import big_scenario_text

from planner import loader


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = big_scenario_text(args.people)
    as_json = json.dumps(loader.parse_text(text, "big.yaml"), ensure_ascii=False)
    print(
        f"{args.people:,} people: {len(text.encode()) / 1e6:.2f} MB of YAML, {len(as_json.encode()) / 1e6:.2f} MB "
        f"of JSON; best of {args.repeat}"
    )
    bases = [base for base in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader) if base is not None]
    for base in bases:
        loader._Loader = loader._make_loader(base)
        seconds = best(lambda: loader.parse_text(text, "big.yaml"), args.repeat)
        checks = best(lambda: loader._check_events(text), args.repeat)
        plain = best(lambda b=base: yaml.load(text, Loader=b), args.repeat)
        print(
            f"  YAML, planner.loader on {base.__name__:<12} {seconds:6.2f} s "
            f"(of which the event pre-check {checks:.2f} s; plain yaml.load {plain:.2f} s)"
        )
    print(
        f"  JSON, planner.loader                {best(lambda: loader.parse_text(as_json, 'big.json'), args.repeat):6.2f} s"
    )


if __name__ == "__main__":
    main()
