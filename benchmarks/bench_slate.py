"""Slate solver benchmark: prints a table of solve times on generated communities (benchmarks/generate.py).

Per size: time to a proven optimal slate (status, objective, proved bound, gap and CP-SAT wall time
of the maximisation, as `result.solver` reports them), time to the top 10 distinct teams, time to the
explanation of the infeasible variant (no eligible woman), and on the 12-person case (small seats,
stated in the output) the speedup over the brute-force enumerator of tests/brute_slate.py.

    python benchmarks/bench_slate.py                 # sizes 12 40 200 1000, 2 workers
    python benchmarks/bench_slate.py --sizes 40 --workers 1
    python benchmarks/bench_slate.py --what-ifs --sizes 40 1000   # what-ifs after a first solve
    python benchmarks/bench_slate.py --what-ifs --sizes 40 --seeds 1 2 3 4 5 6   # on six communities

`--what-ifs`: per size, top 10 of the community (cold: the first solve in the process), then the what-ifs
a user makes next (lock a person of slate 2 not in slate 1, exclude slate 1's 书记, switch S02 off), each
solved for the first time (cold) and then again through the app's own cache (warm:
app_pages.common.solve_slates_cached, a cache of 64 results keyed on the community's canonical JSON and the
options, which is how the app reuses results between what-ifs); a warm result must equal the cold one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # --what-ifs: the app's cache (app_pages.common)

from generate import generate_community

from planner.scenario import Community
from planner.slate import SlateOptions, solve_slates

SMALL_SEATS = {"party_committee": 3, "residents_committee": 3, "supervisory_committee": 2}
SEEDS = {12: 7, 40: 1, 200: 1, 1000: 1}  # seed 7 makes a feasible 12-person pool with small seats
TARGETS = {40: (0.1, 0.25, 1.0), 1000: (2.0, 3.0, None)}  # optimal, top 10, explanation (seconds; issue 15)


def timed(c: Community, repeat: int, **options: Any) -> tuple[float, Any]:
    """Median wall time of solve_slates in process over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = solve_slates(c, SlateOptions(**options))
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def brute_speedup(c: Community, solver_time: float, objective: int | None) -> str:
    from brute_slate import brute_slates

    start = time.perf_counter()
    brute = brute_slates(c)
    elapsed = time.perf_counter() - start
    agree = "agrees" if brute.best() == objective else f"DISAGREES (brute {brute.best()})"
    return (
        f"brute force: {elapsed:.3f} s, {len(brute.teams)} feasible teams, {brute.checked} checker calls, "
        f"best {brute.best()} {agree}; solver top-1 {solver_time:.3f} s; speedup x{elapsed / solver_time:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 40, 200, 1000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--what-ifs", action="store_true", help="top 10 after lock, exclude, rule off")
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="--what-ifs: generated communities (default: SEEDS)",
    )
    args = parser.parse_args()
    if args.what_ifs:
        what_ifs(args.sizes, args.repeat, args.seeds)
        return

    rows, notes = [], []
    for n in args.sizes:
        seed = SEEDS.get(n, 1)
        seats = SMALL_SEATS if n <= 12 else None
        c = generate_community(n, seed, seats=seats)
        bad = generate_community(n, seed, seats=seats, infeasible=True)
        common = {"workers": args.workers, "time_limit": args.time_limit}
        t1, r1 = timed(c, args.repeat, top=1, **common)
        t10, r10 = timed(c, max(1, args.repeat // 2), top=10, **common)
        tx, rx = timed(bad, max(1, args.repeat // 2), top=1, **common)
        info = r1.solver
        best = r1.slates[0].objective if r1.slates else None
        conflict = (rx.explanation or {}).get("conflict")
        rows.append(
            {
                "n": n,
                "seed": seed,
                "seats": "3/3/2" if seats else "5/5/3",
                "status": r1.status,
                "objective": best,
                "bound": info.get("best_bound"),
                "gap": info.get("gap"),
                "cp_sat_s": info.get("wall_time"),
                "t_opt": t1,
                "top10": f"{len(r10.slates)} {r10.status}",
                "t_top10": t10,
                "explain": f"{rx.status} {conflict}",
                "t_explain": tx,
                "model": f"{info.get('people_in_model', '?')}/{n} people",
            }
        )
        if n == 12:
            notes.append(brute_speedup(c, t1, best))
        for size, (opt, top, expl) in TARGETS.items():
            if size == n:
                missed = [
                    f"{name} {got:.3f} s > {limit} s"
                    for name, got, limit in (
                        ("optimal", t1, opt),
                        ("top 10", t10, top),
                        ("explanation", tx, expl),
                    )
                    if limit is not None and got > limit
                ]
                notes.append(
                    f"{n} people targets: " + ("all met" if not missed else "MISSED " + "; ".join(missed))
                )

    header = [
        "n",
        "seed",
        "seats",
        "status",
        "objective",
        "bound",
        "gap",
        "cp_sat_s",
        "t_opt",
        "top10",
        "t_top10",
        "explain",
        "t_explain",
        "model",
    ]
    print(
        f"workers={args.workers}, median of {args.repeat} (top 10 and explanation: {max(1, args.repeat // 2)}) runs, "
        "times in seconds, solve_slates in process"
    )
    widths = {h: max(len(h), *(len(fmt(r[h])) for r in rows)) for h in header}
    print(" | ".join(h.ljust(widths[h]) for h in header))
    print("-|-".join("-" * widths[h] for h in header))
    for r in rows:
        print(" | ".join(fmt(r[h]).ljust(widths[h]) for h in header))
    for note in notes:
        print(note)


def what_ifs(sizes: list[int], repeat: int, seeds: list[int] | None = None) -> None:
    """Top 10 of each what-if, cold (first solve) and warm (again, from the app's slate cache)."""
    import json
    import logging
    import os

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare mode (no `streamlit run`): no warnings
    from app_pages.common import solve_slates_cached
    from planner.edits import apply_change
    from planner.plan import slate_json

    def cold(c: Community, **options: Any) -> tuple[float, Any]:
        start = time.perf_counter()
        result = solve_slates(c, SlateOptions(top=10, **options))
        return time.perf_counter() - start, result

    def warm(c: Community, locks: dict[str, str | None], excludes: list[str]) -> tuple[float, Any]:
        args = (c.canonical_json(), 10, tuple(sorted(locks.items())), tuple(sorted(excludes)), None, False)
        solve_slates_cached(*args)  # the what-if once (the app's first visit) ...
        times = []
        for _ in range(repeat):  # ... and again (every later visit, toggle back, page switch)
            start = time.perf_counter()
            result = solve_slates_cached(*args)
            times.append(time.perf_counter() - start)
        return statistics.median(times), result

    def same(a: Any, b: Any) -> bool:
        return [json.dumps(slate_json(x), sort_keys=True) for x in a.slates] == [
            json.dumps(slate_json(x), sort_keys=True) for x in b.slates
        ]

    print(
        f"load average {os.getloadavg()[0]:.2f}; top 10, seconds in process, workers 2; warm: median of {repeat}"
    )
    print("n | seed | what-if | cold top 10 | warm top 10 | slates | warm = cold")
    print("-|-|-|-|-|-|-")
    slowest: dict[int, float] = {}
    for n, seed in [(size, s) for size in sizes for s in seeds or [SEEDS.get(size, 1)]]:
        c = generate_community(n, seed)
        t0, base = cold(c)
        first, second = base.slates[0], base.slates[1]
        secretary = dict(first.holders("party_committee"))["secretary"]
        newcomer = sorted(second.team() - first.team())[0]
        off = apply_change(c, {"rules.disabled": [*c.rules.disabled, "S02"]})
        assert isinstance(off, Community)
        cases = [
            ("none (first solve)", c, {}, [], (t0, base)),
            (f"lock {newcomer} (in slate 2, not 1)", c, {newcomer: None}, [], None),
            (f"exclude {secretary} (slate 1's 书记)", c, {}, [secretary], None),
            ("S02 off", off, {}, [], None),
        ]
        for name, community, locks, excludes, done in cases:
            tc, rc = done or cold(community, locks=locks, excludes=excludes)
            tw, rw = warm(community, locks, excludes)
            slowest[n] = max(slowest.get(n, 0.0), tc)
            print(
                f"{n} | {seed} | {name} | {tc:.3f} | {tw * 1000:.2f} ms | {len(rc.slates)} {rc.status} | "
                + ("yes" if same(rc, rw) else "NO")
            )
    for n, worst in slowest.items():
        limit = TARGETS.get(n, (None, None, None))[1]
        verdict = "" if limit is None else f" (target < {limit} s: {'met' if worst < limit else 'MISSED'})"
        print(f"{n} people: slowest cold top 10 {worst:.3f} s{verdict}")


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if value < 1 else f"{value:.2f}"
    return str(value)


if __name__ == "__main__":
    main()
