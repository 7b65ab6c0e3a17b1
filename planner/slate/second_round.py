"""另行选举 (a second round): the candidate lists for the seats round one left unfilled.

SCENARIO.md "Second round". Input: who was elected in round one (planner.check.second_round.Elected).
The elected keep their seats (and posts, when given) and count toward every rule; the second round's
lists are sized for the seats left (S17) and hold nobody already elected to that body, and only the
round-one candidates not elected when `not_elected` is given; the best second round (RULES.md
objective over the whole team, then the usual tie-break) is the answer, its lists the candidate lists.

S18 (robust lists) is exact here by lazy cuts: the model is solved without it, the second round's
outcomes are enumerated by the solver-free checker (check_second_robust), and a list composition
that fails is cut off (a no-good on its list places) before solving again; the first composition that
passes is the best robust one. With no second round left, the explanation is a minimal conflict of
rule ids (planner.explain.minimal_conflict over the same lazy feasibility), said with the slate
explanations' describers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from planner.check.second_round import Elected, check_second_round, failing_outcome, second_list_size
from planner.check.slate import slate_objective
from planner.explain import minimal_conflict
from planner.plan import Slate, SlateResult
from planner.scenario import BODY_NAMES, TEAM_BODIES, Community, PersonId
from planner.slate.explain import Conflict, explanation, line
from planner.slate.model import PC, RC, SC, SlateModel, build_model, in_force
from planner.slate.solve import Session, SlateOptions, extract, tiebreak_terms
from planner.text import Text

MAX_CUTS = 500  # list compositions cut off under S18 before giving up (status unknown)


class SecondRoundSession(Session):
    """A Session whose models keep the elected in their seats and size the lists for the seats left."""

    def __init__(self, c: Community, options: SlateOptions, elected: Elected):
        super().__init__(c, options)
        self.elected = elected
        left = elected.seats_left(c)
        # the model's lists hold the elected (not a by-election's sitting members) and the second round's
        self.list_sizes = {
            b: len(elected.newly_elected(b))
            + (second_list_size(c, b, left[b]) if c.rules.on("S17") else left[b])
            for b in TEAM_BODIES
        }

    def build(  # type: ignore[override]
        self,
        *,
        c: Community | None = None,
        enabled: Iterable[str] | None = None,
        assumptions: bool = False,
        locks: dict[PersonId, str | None] | None = None,
        distinct: int | None = 1,
        objective: bool = True,
    ) -> SlateModel:
        """The model of the team after the second round; S18 is left to the lazy cuts (never built here)."""
        c = c or self.c
        rules = [r for r in (in_force(c) if enabled is None else enabled) if r != "S18"]
        return build_model(
            c,
            enabled=rules,
            assumptions=assumptions,
            locks=self.options.locks if locks is None else locks,
            excludes=self.options.excludes,
            allow_pending=self.options.allow_pending,
            extra=self._hook,
            distinct=None,
            objective=objective,
            cache=self.cache if c is self.c else None,
            list_sizes=self.list_sizes,
        )

    def _hook(self, sm: SlateModel) -> None:
        """The elected hold their seats (posts when given); the second-round lists only hold who may stand."""
        el = self.elected
        model = sm.model
        for body, held in el.bodies.items():
            for pid, post in held:
                if post is None:
                    model.add(sm.m(pid, body) == 1) if sm.has(pid, body) else model.add_bool_or([])
                else:
                    v = sm.x.get((pid, body, post))
                    model.add(v == 1) if v is not None else model.add_bool_or([])
        pool = None if el.not_elected is None else set(el.not_elected)
        for body in TEAM_BODIES:
            members = set(el.members(body))
            for (pid, b), v in sm.l.items():
                if b == body and pid not in members and pool is not None and pid not in pool:
                    model.add(
                        v == 0
                    )  # not a round-one candidate left unelected: not on the list, not elected

    def second_lists(self, slate: Slate) -> dict[str, list[PersonId]]:
        """The second round's lists: each full list without the people already elected to that body."""
        return {
            b: [p for p in slate.candidate_lists.get(b, []) if p not in self.elected.members(b)]
            for b in TEAM_BODIES
        }


def _cut(
    sm: SlateModel, failed: tuple[str, tuple[PersonId, ...], tuple[PersonId, ...], Any], slate: Slate
) -> None:
    """Lists holding a failing outcome all fail S18: not all its winners on their lists again (and, for S07
    and S14, which also read the supervisory committee, not with the same supervisory members)."""
    rule_id, pc_win, rc_win, _ = failed
    terms: list[Any] = [1 - sm.l[(p, PC)] for p in pc_win if (p, PC) in sm.l]
    terms += [1 - sm.l[(p, RC)] for p in rc_win if (p, RC) in sm.l]
    if rule_id in ("S07", "S14"):
        terms += [1 - sm.m(p, SC) for p in slate.members(SC)]
    sm.model.add(sum(terms) >= 1)


def _solve(
    session: SecondRoundSession, enabled: Iterable[str] | None = None
) -> tuple[str, Slate | None, int | None]:
    """The best second round with `enabled` rules (default all in force), S18 by lazy cuts."""
    c = session.c
    rules = list(in_force(c) if enabled is None else enabled)
    robust = "S18" in rules
    sm = session.build(enabled=rules)
    tiebreak, scale, _ = tiebreak_terms(sm)
    sm.model.maximize(scale * sm.objective_expr() - tiebreak)
    for _ in range(MAX_CUTS):
        solver = session.solver(deterministic=True)
        status = session_solve(solver, sm)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ("infeasible" if status == cp_model.INFEASIBLE else "unknown"), None, None
        slate = extract(sm, solver, c)
        lists = session.second_lists(slate)
        slate.candidate_lists = lists
        failed = failing_outcome(_with_rules(c, rules), session.elected, slate) if robust else None
        if failed is not None:
            _cut(sm, failed, slate)
            continue
        name = "optimal" if status == cp_model.OPTIMAL else "feasible"
        return name, slate, int(solver.value(sm.objective_expr()))
    return "unknown", None, None


def session_solve(solver: cp_model.CpSolver, sm: SlateModel) -> Any:
    from planner.interrupt import solve

    return solve(solver, sm.model)


def _with_rules(c: Community, rules: Iterable[str]) -> Community:
    """`c` with exactly `rules` (of those in force) on."""
    keep = set(rules)
    off = [r for r in in_force(c) if r not in keep]
    return c.model_copy(update={"rules": c.rules.model_copy(update={"disabled": [*c.rules.disabled, *off]})})


def explain_second_round(session: SecondRoundSession) -> dict[str, Any]:
    """A minimal set of rule ids under which no second round exists (the elected and seats always hold)."""
    c = session.c
    head = Text("另行选举无法组成符合全部规则的名单。", "No second round meets all the rules.")

    def feasible(subset: set[str]) -> bool:
        return _solve(session, [r for r in in_force(c) if r in subset])[0] != "infeasible"

    if not feasible(set()):
        left = session.elected.seats_left(c)
        why = Text(
            "即使关闭全部可关闭的规则，第一轮当选人、职数与可参选人员也无法同时满足"
            f"（尚余：党组织{left['party_committee']}席、居委会{left['residents_committee']}席）。",
            "Even with every rule that can be switched off off, the elected, the seats and the people who may "
            f"stand cannot all hold ({left['party_committee']} Party and {left['residents_committee']} "
            "residents' seats left).",
        )
        return explanation([], [head, why], [], [])
    conflict = minimal_conflict(in_force(c), feasible)
    ctx = Conflict(session, conflict, dict(session.options.locks))
    lines = [head + Text("以下规则不能同时满足：", " These rules cannot hold together:")]
    lines += [line(ctx, rule_id) for rule_id in conflict]
    return explanation(conflict, lines, ctx.involved, [])


def second_round(c: Community, elected: Elected, options: SlateOptions | None = None) -> SlateResult:
    """The second round's lists and the best resulting team, re-checked solver-free, or a minimal conflict."""
    options = replace(options or SlateOptions(), top=1, why_not=None)
    session = SecondRoundSession(c, options, elected)
    result = SlateResult(scenario=c.id, status="unknown", solver=options.settings())
    left = elected.seats_left(c)
    result.second_round = {
        "source": elected.source,
        "community": c.id,
        "elected": elected.to_json(),
        "elected_posts": elected.posts_json(),
        "not_elected": elected.not_elected,
        "seats_left": left,
        "list_sizes": {b: session.list_sizes[b] - len(elected.newly_elected(b)) for b in TEAM_BODIES},
        "sitting": {b: v for b, v in elected.sitting.items() if v},
        "lists": {},
    }
    status, slate, objective = _solve(session)
    result.status = status
    if slate is None:
        if status == "infeasible":
            result.explanation = explain_second_round(session)
        return result
    checks = check_second_round(c, elected, slate, allow_pending=options.allow_pending)
    bad = [ch for ch in checks if not ch.ok]
    if bad:  # pragma: no cover - a bug in one of the two readings
        raise RuntimeError(
            "checker rejected second round: " + "; ".join(f"{ch.rule} {ch.detail}" for ch in bad)
        )
    if slate_objective(c, slate) != objective:  # pragma: no cover
        raise RuntimeError(f"checker counts objective {slate_objective(c, slate)}, the solver {objective}")
    slate.rank, slate.objective, slate.checks = 1, objective, checks
    result.slates.append(slate)
    result.second_round["lists"] = {b: list(slate.candidate_lists.get(b, [])) for b in TEAM_BODIES}
    result.second_round["text"] = second_round_text(c, elected, slate).to_json()
    return result


def second_round_text(c: Community, elected: Elected, slate: Slate) -> Text:
    """One line per team body: elected in round one, seats left, the second round's candidates."""
    left = elected.seats_left(c)
    zh, en = [], []
    for body in TEAM_BODIES:
        got = elected.members(body)
        lst = slate.candidate_lists.get(body, [])
        zh.append(
            f"{BODY_NAMES[body][0]}：第一轮当选{len(got)}人（{'、'.join(got) or '无'}），另行选举{left[body]}席，"
            f"候选人{len(lst)}人（{'、'.join(lst) or '无'}）"
        )
        en.append(
            f"{BODY_NAMES[body][1]}: {len(got)} elected in round one ({', '.join(got) or 'none'}), "
            f"{left[body]} seats left, {len(lst)} candidates ({', '.join(lst) or 'none'})"
        )
    return Text("\n".join(zh), "\n".join(en))
