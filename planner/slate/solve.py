"""Solving slates: the session that builds and solves the models, each plan re-checked by planner.check.

Orchestration (top-K, why-not, explanations) is planner.slate.orchestrate, which imports this module
and planner.slate.explain; neither of these two imports the other.

One solve per slate: maximise W x objective - tie-break (tiebreak_terms), W larger than any tie-break,
so the best objective comes first, exactly, and among slates of that objective the one whose roles go
to the best-ranked people (weight down, then scenario order). The solve runs first on one worker
under a work limit (deterministic, and on these models the fastest: the full LP relaxation proves
them at the root); only when that does not settle it do the configured workers take over, and then a
separate one-worker tie-break solve at the proved objective picks the slate. So the same scenario and
options give the same slate whatever `workers` is.
Top-K (SCENARIO.md `--top K`): slate r is the best slate whose team differs from slates 1..r-1,
enforced by a no-good cut per found team on the same model, plus objective <= the previous slate's
(objectives never increase); large models start each rank from the previous slate as a hint.
The model holds only people not dominated (model.dominance_filter, exact for the K best teams).
result.solver reports the main (rank 1) maximisation: objective, best_bound (proved), gap, wall_time
(CP-SAT wall seconds), people_in_model / people_dropped.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from planner.check.slate import check_slate, slate_objective
from planner.interrupt import solve as interruptible_solve
from planner.plan import Slate, SlateResult, slate_json  # noqa: F401 - re-exported
from planner.scenario import BODIES, POSTS, TEAM_BODIES, Community, PersonId
from planner.slate.model import (
    PC,
    RC,
    SINGLE_POSTS,
    Lock,
    SlateModel,
    build_model,
    list_size,
    seats,
)

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}
TIEBREAK_DETERMINISTIC_TIME = 20.0
# Work limit of the first, single-worker attempt at each maximisation (then the configured workers take over).
FAST_DETERMINISTIC_TIME = 5.0
# Top-K: from this many people in the model on, each rank starts from the previous slate as a hint
# (it pays off on large communities and costs more than it saves on small ones; benchmarks/RESULTS.md).
HINT_MIN_PEOPLE = 300
# Each feasibility solve of an explanation gets at least this long, even past the overall time limit,
# so that a conflict is still shrunk when the first solves used the budget up.
EXPLAIN_MIN_SECONDS = 2.0


MAXIMISE_OFF = ("cp_model_presolve", "add_cg_cuts", "add_mir_cuts", "add_zero_half_cuts")
"""Switched off while a slate is maximised (Session.optimize): each top-K rank is one solve of the same
model plus a cut, whose root LP already holds the bound, and presolve and these cuts cost each rank more
than they save, at 40 people as at 1,000 (benchmarks/RESULTS.md, "What-ifs")."""


@dataclass
class SlateOptions:
    """What `planner slate` asks for (SCENARIO.md "Command line")."""

    top: int = 1
    locks: dict[PersonId, str | None] = field(default_factory=dict)
    excludes: list[PersonId] = field(default_factory=list)
    why_not: PersonId | None = None
    allow_pending: bool = False
    time_limit: float = 30.0
    seed: int = 0
    workers: int = 2

    def settings(self) -> dict[str, Any]:
        return {
            "top": self.top,
            "locks": dict(self.locks),
            "excludes": list(self.excludes),
            "why_not": self.why_not,
            "allow_pending": self.allow_pending,
            "time_limit": self.time_limit,
            "seed": self.seed,
            "workers": self.workers,
        }


@dataclass
class Solved:
    status: str
    objective: int | None = None
    slate: Slate | None = None


class Session:
    """One community and options: builds models and solves them."""

    def __init__(self, c: Community, options: SlateOptions):
        self.c = c
        self.options = options
        self.deadline = time.monotonic() + options.time_limit
        self.stats: dict[str, Any] = {}
        self._wall = 0.0
        self.last_values: list[int] = []  # the solution of the slate last returned by optimize
        self.cache: dict[str, Any] = {}  # eligibility and relatives of self.c, shared by every build
        self.order = {p.id: i for i, p in enumerate(c.people)}
        for pid in [*options.locks, *options.excludes]:
            if pid not in c.person:
                raise ValueError(f"unknown person '{pid}' in locks/excludes")
        for value in options.locks.values():
            Lock.parse(value)

    # ---- time

    def remaining(self) -> float:
        return max(0.05, self.deadline - time.monotonic())

    def solver(
        self,
        workers: int | None = None,
        deterministic: bool = False,
        deterministic_time: float = TIEBREAK_DETERMINISTIC_TIME,
        maximise: bool = False,
    ) -> cp_model.CpSolver:
        """A CP-SAT solver with the options' seed and time left; `deterministic`: one worker, a work limit.

        linearization_level 2 (the full LP relaxation, which proves these models optimal at the root)
        and no probing in presolve (which costs more than it saves on them; benchmarks/RESULTS.md);
        to `maximise` a slate (optimize), neither presolve nor CG, MIR and zero-half cuts (MAXIMISE_OFF).
        """
        s = cp_model.CpSolver()
        params = s.parameters
        params.random_seed = self.options.seed
        params.num_workers = 1 if deterministic else max(1, workers or self.options.workers)
        params.max_time_in_seconds = self.remaining()
        params.linearization_level = 2
        params.cp_model_probing_level = 0
        if maximise:
            for name in MAXIMISE_OFF:
                setattr(params, name, False)
        if deterministic:
            params.max_deterministic_time = deterministic_time
        return s

    # ---- building

    def build(
        self,
        *,
        c: Community | None = None,
        enabled: Iterable[str] | None = None,
        assumptions: bool = False,
        locks: dict[PersonId, str | None] | None = None,
        distinct: int | None = 1,
        objective: bool = True,
    ) -> SlateModel:
        """The model (model.build_model, S18 with S10 counted exactly in it); `distinct` distinct teams wanted."""
        c = c or self.c
        return build_model(
            c,
            enabled=enabled,
            assumptions=assumptions,
            locks=self.options.locks if locks is None else locks,
            excludes=self.options.excludes,
            allow_pending=self.options.allow_pending,
            distinct=distinct,
            objective=objective,
            cache=self.cache if c is self.c else None,
        )

    # ---- solving

    def feasible(
        self,
        enabled: Iterable[str],
        *,
        c: Community | None = None,
        locks: dict[PersonId, str | None] | None = None,
    ) -> bool:
        """Whether a slate exists with exactly `enabled` on (plus S01, locks, excludes); unknown counts as feasible.

        Unknown (time limit) counting as feasible keeps every reported conflict a proved conflict.
        """
        sm = self.build(c=c, enabled=enabled, locks=locks, objective=False)
        solver = self.solver()
        solver.parameters.max_time_in_seconds = max(self.deadline - time.monotonic(), EXPLAIN_MIN_SECONDS)
        return interruptible_solve(solver, sm.model) != cp_model.INFEASIBLE

    def optimize(self, sm: SlateModel) -> Solved:
        """The best slate: maximise W x objective - tie-break (tiebreak_terms), W above any tie-break.

        One solve gives the best objective and, among slates of that objective, the least tie-break.
        """
        if sm.combined is None:  # set once per model: the ranks of top K only add constraints
            sm.combined = tiebreak_terms(sm)
            tiebreak, scale, _ = sm.combined
            sm.model.maximize(scale * sm.objective_expr() - tiebreak)
        tiebreak, scale, most = sm.combined
        model = sm.model
        solver, status, deterministic = self._phase1(model)
        name = STATUS_NAMES.get(status, "unknown")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._record(solver, None, None)
            return Solved(status=name)
        best = int(solver.value(sm.objective_expr()))
        self._record(solver, best, (math.floor(solver.best_objective_bound) + most) // scale)
        slate = None
        if status == cp_model.OPTIMAL and not deterministic:  # settled by several workers: settle ties alone
            slate = self._tiebreak(sm, best, tiebreak)
        if slate is None:
            slate = extract(sm, solver, self.c)
            self.last_values = list(solver.response_proto.solution)
        return Solved(status=name, objective=best, slate=slate)

    def _phase1(self, model: cp_model.CpModel) -> tuple[cp_model.CpSolver, Any, bool]:
        """Maximise: first one worker under a work limit (deterministic, and fastest on these models);
        when that does not settle it, the configured workers for the time left, from its best solution.
        Returns the solver, the status and whether the answer came from the deterministic attempt."""
        solver = self.solver(deterministic=True, deterministic_time=FAST_DETERMINISTIC_TIME, maximise=True)
        status = interruptible_solve(solver, model)
        self._wall = solver.wall_time
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or self.deadline - time.monotonic() <= 0.05:
            return solver, status, True
        if status == cp_model.FEASIBLE:
            model.clear_hints()
            hint = model.proto.solution_hint
            hint.vars.extend(range(len(model.proto.variables)))
            hint.values.extend(solver.response_proto.solution)
        again = self.solver(maximise=True)
        status2 = interruptible_solve(again, model)
        model.clear_hints()
        self._wall += again.wall_time
        if status2 == cp_model.UNKNOWN and status == cp_model.FEASIBLE:
            return solver, status, True
        return again, status2, False

    def _record(self, solver: cp_model.CpSolver, objective: int | None, bound: int | None) -> None:
        """Figures of the last maximisation for result.solver: objective, proved bound, gap, CP-SAT wall time."""
        gap = (
            None
            if objective is None or bound is None
            else round(abs(bound - objective) / max(1, abs(objective)), 6)
        )
        self.stats = {
            "objective": objective,
            "best_bound": bound,
            "gap": gap,
            "wall_time": round(self._wall, 4),
        }

    def _tiebreak(self, sm: SlateModel, best: int, tiebreak: cp_model.LinearExprT) -> Slate | None:
        """Objective fixed at `best`, least tie-break: one worker, fixed seed and a work limit, so the same
        model gives the same slate whatever `workers` is (used when several workers settled phase 1)."""
        clone = sm.model.clone()
        clone.clear_objective()
        clone.clear_hints()
        clone.add(sm.objective_expr() == best)
        clone.minimize(tiebreak)
        solver = self.solver(deterministic=True)
        status = interruptible_solve(solver, clone)
        self._wall += solver.wall_time
        self.stats["wall_time"] = round(self._wall, 4)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        self.last_values = list(solver.response_proto.solution)
        return extract(sm, solver, self.c)


def tiebreak_terms(sm: SlateModel) -> tuple[cp_model.LinearExprT, int, int]:
    """The tie-break among slates of equal objective, its scale W and its largest value.

    A person's rank is weight (P01-P03) down, then scenario order, renumbered 1..R over the people in
    the model. Cost: rank x seniority over posts (secretary 4, deputy secretary 3, discipline inspector
    2, members 1; director 3, deputy director 2, members 1; supervisory director 2, members 1: better
    ranked people in senior posts), plus rank over team members and over list places. Every cost
    grows with rank, so handing all of a person's roles to a better-ranked one lowers it: the
    optimum never uses a person the dominance filter drops (model.dominance_filter), which keeps the
    answer independent of how many people the model holds. The largest value is R x (sum of the
    seniorities of all seats + team seats + list places) < W, so W x objective - tie-break orders by
    objective first, exactly; with R in the hundreds W stays near 10^4 and the coefficients small.
    """
    c = sm.c
    ranked = sorted((p.id for p in sm.people), key=sm.rank.__getitem__)
    rank = {pid: i + 1 for i, pid in enumerate(ranked)}
    senior = {
        (body, post): len(POSTS[body]) - POSTS[body].index(post) for body in BODIES for post in POSTS[body]
    }
    per_rank = sum(
        s * (1 if post in SINGLE_POSTS[body] else max(0, seats(c, body) - len(SINGLE_POSTS[body])))
        for (body, post), s in senior.items()
    )
    per_rank += seats(c, PC) + seats(c, RC) + sum(max(list_size(c, b), seats(c, b)) for b in TEAM_BODIES)
    most = len(ranked) * per_rank
    terms = [rank[p] * v for p, v in sm.t.items()]
    terms += [rank[p] * senior[(body, post)] * v for (p, body, post), v in sm.x.items()]
    terms += [rank[p] * v for (p, _), v in sm.l.items()]
    return sum(terms), most + 1, most


def extract(sm: SlateModel, solver: cp_model.CpSolver, c: Community) -> Slate:
    """The slate of a solution, in the JSON shape of SCENARIO.md (members and lists in scenario order)."""
    order = {p.id: i for i, p in enumerate(c.people)}
    posts: dict[str, dict[str, Any]] = {b: {} for b in BODIES}
    for body in BODIES:
        for post in SINGLE_POSTS[body]:
            posts[body][post] = None
        posts[body]["member"] = []
    for (pid, body, post), v in sorted(sm.x.items(), key=lambda kv: order[kv[0][0]]):
        if solver.boolean_value(v):
            if post == "member":
                posts[body]["member"].append(pid)
            else:
                posts[body][post] = pid
    lists = {
        b: [
            pid
            for (pid, body), v in sorted(sm.l.items(), key=lambda kv: order[kv[0][0]])
            if body == b and solver.boolean_value(v)
        ]
        for b in TEAM_BODIES
    }
    return Slate.model_validate({"posts": posts, "candidate_lists": lists})


def team_nogood(sm: SlateModel, team: set[PersonId]) -> None:
    """Top-K: the next team differs from `team` (sum over members of 1 - t + sum over others of t >= 1)."""
    terms = [(1 - v) if p in team else v for p, v in sm.t.items()]
    sm.model.add(sum(terms) >= 1)


def verified(
    c: Community,
    slate: Slate,
    objective: int,
    rank: int,
    allow_pending: bool,
    relatives: dict[PersonId, set[PersonId]] | None = None,
) -> Slate:
    """Re-check a solver plan with the solver-free checker; a rejected plan is a bug, never shown as valid.
    `relatives`: the checker's close relatives of `c` (planner.kinship), kept by a caller checking many."""
    checks = check_slate(c, slate, allow_pending=allow_pending, relatives=relatives)
    bad = [ch for ch in checks if not ch.ok]
    if bad:
        raise RuntimeError(
            "checker rejected solver plan: " + "; ".join(f"{ch.rule} {ch.detail}" for ch in bad)
        )
    recount = slate_objective(c, slate)
    if recount != objective:
        raise RuntimeError(
            f"checker rejected solver plan: objective {objective} but the checker counts {recount}"
        )
    slate.rank, slate.objective, slate.checks = rank, objective, checks
    return slate
