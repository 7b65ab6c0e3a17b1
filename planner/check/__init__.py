"""Solver-free checker (plain Python, never ortools): slates (S01-S19), schedules (T01-T10), saved plans.

`planner.check` re-exports the public API of its modules.
"""

from __future__ import annotations

from planner.check.schedule import check_schedule
from planner.check.slate import (
    SlateContext,
    check_slate,
    party_list_size,
    residents_list_size,
    slate_objective,
    violated,
)
from planner.check.verify import PlanError, SlateVerdict, VerifyReport, format_verify, load_plan, verify_plan

__all__ = [
    "PlanError",
    "SlateContext",
    "SlateVerdict",
    "VerifyReport",
    "check_schedule",
    "check_slate",
    "format_verify",
    "load_plan",
    "party_list_size",
    "residents_list_size",
    "slate_objective",
    "verify_plan",
    "violated",
]
