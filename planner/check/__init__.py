"""Solver-free checker (plain Python, never ortools): slates (S01-S19), schedules (T01-T10), saved plans.

`planner.check` re-exports the public API of its modules.
"""

from __future__ import annotations

from importlib.util import find_spec

from planner.check.slate import (
    RULE_CHECKS,
    SlateContext,
    check_slate,
    party_list_size,
    residents_list_size,
    slate_objective,
    violated,
)
from planner.check.verify import PlanError, SlateVerdict, VerifyReport, format_verify, load_plan, verify_plan

__all__ = ["RULE_CHECKS", "PlanError", "SlateContext", "SlateVerdict", "VerifyReport", "check_slate",
           "format_verify", "load_plan", "party_list_size", "residents_list_size", "slate_objective", "verify_plan",
           "violated"]

# The schedule checker is written separately; import it when present (its own errors still surface).
if find_spec("planner.check.schedule") is not None:
    from planner.check.schedule import check_schedule  # noqa: F401

    __all__.append("check_schedule")
