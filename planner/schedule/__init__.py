"""Schedule planning (issue 4): working calendar, stage template, CP-SAT model, slack, explanations.

`plan_schedule` and `format_schedule` are imported lazily so that the solver-free checker can
use `planner.schedule.calendar` and `planner.schedule.stages` without importing ortools.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ScheduleResult", "format_schedule", "plan_schedule"]


def __getattr__(name: str) -> Any:
    if name in ("plan_schedule", "ScheduleResult"):
        from planner.schedule import solve

        return getattr(solve, name)
    if name == "format_schedule":
        from planner.schedule.gantt import format_schedule

        return format_schedule
    raise AttributeError(f"module 'planner.schedule' has no attribute {name!r}")
