"""Schedule planning (issue 4): the CP-SAT model, lexicographic solve, slack, explanations, the Gantt.

The solver-free parts (stage template, working calendar, stage data) live in planner.timeline, below
planner/scenario.py; the solver-free checker (planner.check.schedule) builds on those, never on this package.
"""

from __future__ import annotations

from planner.schedule.gantt import format_schedule
from planner.schedule.solve import ScheduleResult, plan_schedule

__all__ = ["ScheduleResult", "format_schedule", "plan_schedule"]
