"""Shrinking a conflict to a minimal set of rule ids (a deletion loop), shared by slates and schedules.

CP-SAT's assumption core is a start, not an answer: it is neither minimal nor stable
(or-tools issues 3017, 3983, 5141). We re-solve without each member in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def minimal_conflict(candidates: Iterable[str], feasible: Callable[[set[str]], bool]) -> list[str]:
    """A minimal subset M of `candidates` with `feasible(M)` false.

    `feasible(S)` solves with exactly the rules (or pins) in S switched on (plus what always holds).
    Precondition: `feasible(set(candidates))` is false. Minimal means: dropping any one member of M
    makes `feasible` true. The loop is deterministic: members are tried in the given order.
    """
    conflict = list(dict.fromkeys(candidates))
    for item in list(conflict):
        trial = [x for x in conflict if x != item]
        if not feasible(set(trial)):
            conflict = trial
    return conflict
