"""CP-SAT slate solver (RULES.md S01-S19, P01-P03): model, solve, top-K, explanations, report."""

from planner.plan import SlateResult
from planner.slate.orchestrate import solve_slates
from planner.slate.report import format_slates
from planner.slate.solve import SlateOptions

__all__ = ["SlateOptions", "SlateResult", "format_slates", "solve_slates"]
