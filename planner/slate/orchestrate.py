"""Slate orchestration: top-K slates, why-not and explanations, from planner.slate.solve and planner.slate.explain.

The one module that imports both: solve.py builds and solves models (Session, verified), explain.py says
why no slate exists (a minimal conflict, with the people involved and the changes that would help).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from planner.kinship import close_relatives
from planner.plan import SlateResult, by_election_json, slate_json
from planner.scenario import BODY_NAMES, POST_NAMES, Community, PersonId
from planner.slate.explain import explain_infeasible, no_candidates
from planner.slate.model import SC
from planner.slate.solve import HINT_MIN_PEOPLE, Session, SlateOptions, team_nogood, verified
from planner.text import Text

WHY_NOT_PLACES: tuple[str | None, ...] = (None, SC)
"""--why-not: ID holds any post, i.e. a post in the 两委 team (lock None) or on the supervisory committee."""


def solve_slates(
    c: Community, options: SlateOptions | None = None, progress: Callable[[int, int, str], None] | None = None
) -> SlateResult:
    """Up to `options.top` best slates with pairwise different teams, or an explanation (SCENARIO.md).
    `progress(rank, top, community id)` is called after each slate found (the command's progress bar)."""
    options = options or SlateOptions()
    session = Session(c, options)
    result = SlateResult(
        scenario=c.id, status="unknown", solver=options.settings(), by_election=by_election_json(c)
    )
    if not c.people:
        result.status, result.explanation = "infeasible", no_candidates(c)
        if options.why_not is not None:
            result.why_not = {
                "person": options.why_not,
                "possible": False,
                "in_best": False,
                "cost": None,
                "slate": None,
                "explanation": result.explanation,
            }
        return result
    top = max(1, options.top)
    sm = session.build(distinct=top)
    relatives = close_relatives(c)  # for the checker, once for all ranks
    statuses = []
    cut_short = False  # the time limit ended top-K before it was proved that no further slate exists
    for rank in range(1, top + 1):
        solved = session.optimize(sm)
        if rank == 1:
            result.solver.update(session.stats, people_in_model=len(sm.people), people_dropped=sm.dropped)
        if solved.slate is None:
            if rank == 1:
                result.status = solved.status
            else:  # infeasible: proved that no further team exists; anything else: the time limit
                cut_short = solved.status != "infeasible"
            break
        assert solved.objective is not None
        statuses.append(solved.status)
        result.slates.append(
            verified(c, solved.slate, solved.objective, rank, options.allow_pending, relatives)
        )
        if progress is not None:
            progress(rank, top, c.id)
        # the same model for the next rank: a new team, and (objectives never increase) a bound
        team_nogood(sm, solved.slate.team())
        sm.model.add(sm.objective_expr() <= solved.objective)
        if len(sm.people) >= HINT_MIN_PEOPLE:  # start from the last slate (a deterministic one)
            sm.model.clear_hints()
            sm.model.proto.solution_hint.vars.extend(range(len(session.last_values)))
            sm.model.proto.solution_hint.values.extend(session.last_values)
        if time.monotonic() >= session.deadline:
            cut_short = rank < top
            break
    if result.slates:
        proved = all(s == "optimal" for s in statuses) and not cut_short
        result.status = "optimal" if proved else "feasible"
        if cut_short:
            found = len(result.slates)
            warning = Text(
                f"时间限制已到，仅得到{top}个方案中的{found}个（可能还有更多）",
                f"time limit reached after {found} of {top} slates (more may exist)",
            )
            result.warnings.append(warning)
    elif result.status == "infeasible":
        result.explanation = explain_infeasible(session)
    if options.why_not is not None:
        result.why_not = why_not(session, result, options.why_not)
        if result.why_not.get("explanation") and result.explanation is None:
            result.explanation = result.why_not["explanation"]
    result.solver["elapsed_s"] = round(options.time_limit - (session.deadline - time.monotonic()), 3)
    return result


def _said(out: dict[str, Any], text: Text) -> None:
    """The why-not answer's words, one field per language."""
    out.update(message_zh=text.zh, message_en=text.en)


def why_not(session: Session, result: SlateResult, pid: PersonId) -> dict[str, Any]:
    """`--why-not ID`: the best slate in which ID holds any post (supervisory committee included) and its cost,
    or a minimal conflict of rules under which no slate gives them any post.

    SCENARIO.md "Locks and why-not". "Any post" is the union of two lock alternatives, ID in the team and ID on
    the supervisory committee, so its best objective is the better of the two bests: the answer depends only
    on objectives, never on which of several equal slates the solver reported (a person left out of slate 1
    only by the tie-break is answered "a best slate includes them, at no cost"). A lock the user already put
    on ID is kept as it is.
    """
    c = session.c
    if pid not in c.person:
        raise ValueError(f"--why-not: unknown person '{pid}'")
    out: dict[str, Any] = {
        "person": pid,
        "possible": None,
        "in_best": False,
        "in_a_best": False,
        "cost": None,
        "slate": None,
        "explanation": None,
    }
    if pid in session.options.excludes:
        return _why_excluded(session, result, out)
    if result.slates and result.slates[0].post_of(pid):
        best = result.slates[0]
        posts_zh = "、".join(f"{BODY_NAMES[b][0]}{POST_NAMES[post][0]}" for b, post in best.post_of(pid))
        posts_en = ", ".join(f"{b}.{p}" for b, p in best.post_of(pid))
        out.update(possible=True, in_best=True, in_a_best=True, cost=0, slate=1, objective=best.objective)
        _said(
            out,
            Text(f"{pid}已在最佳方案中（{posts_zh}）。", f"{pid} is already in the best slate ({posts_en})."),
        )
        return out
    optimum = result.slates[0].objective if result.slates else None
    alternatives, found, statuses = _best_with(session, pid, optimum)
    if found is not None:
        slate = verified(c, found.slate, found.objective, 1, session.options.allow_pending)
        cost = None if optimum is None else optimum - found.objective
        posts = slate.post_of(pid)
        posts_zh = "、".join(f"{BODY_NAMES[b][0]}{POST_NAMES[post][0]}" for b, post in posts)
        posts_en = ", ".join(f"{b}.{p}" for b, p in posts)
        out.update(
            possible=True, cost=cost, objective=found.objective, slate=slate_json(slate), in_a_best=cost == 0
        )
        if cost == 0:
            _said(
                out,
                Text(
                    f"另一个同样最佳的方案（目标值{found.objective}）包含{pid}（{posts_zh}），没有代价。",
                    f"A best slate (objective {found.objective}, the same as the optimum) includes "
                    f"{pid} ({posts_en}) at no cost.",
                ),
            )
        else:
            _said(
                out,
                Text(
                    f"含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}"
                    + (f"，比最佳方案低{cost}。" if cost is not None else "。"),
                    f"The best slate with {pid} ({posts_en}) scores {found.objective}"
                    + (f", {cost} below the best slate." if cost is not None else "."),
                ),
            )
        return out
    if all(st == "infeasible" for st in statuses):
        exp = explain_infeasible(session, locks=alternatives[0], subject=pid, alternatives=alternatives)
        out.update(
            possible=False, explanation=exp, message_zh=exp["message_zh"], message_en=exp["message_en"]
        )
        return out
    _said(out, Text(f"在时限内未能确定{pid}能否入选。", f"Could not decide in time whether {pid} can serve."))
    return out


def _best_with(
    session: Session, pid: PersonId, optimum: int | None
) -> tuple[list[dict[str, Any]], Any, list[str]]:
    """The lock alternatives that give `pid` a post, the best solve among them (None when none) and the statuses."""
    if pid in session.options.locks:
        alternatives: list[dict[str, Any]] = [dict(session.options.locks)]
    else:
        alternatives = [{**session.options.locks, pid: where} for where in WHY_NOT_PLACES]
    found: Any = None
    statuses = []
    for locks in alternatives:
        solved = session.optimize(session.build(locks=locks))
        statuses.append(solved.status)
        if solved.slate is None or solved.objective is None:
            continue
        if found is None or solved.objective > found.objective:
            found = solved
        if optimum is not None and solved.objective >= optimum:
            break  # nothing can beat the optimum
    return alternatives, found, statuses


def _why_excluded(session: Session, result: SlateResult, out: dict[str, Any]) -> dict[str, Any]:
    """Why not a person the user excluded: because of that exclusion, and what including them would change.

    The best slate with them in a post is solved under the same options without their exclusion; its cost
    is measured against the best slate under the user's options (negative: including them would score more).
    """
    c, pid = session.c, out["person"]
    out["excluded"] = True
    freed = replace(session.options, excludes=[e for e in session.options.excludes if e != pid], why_not=None)
    sub = Session(c, freed)
    sub.deadline = session.deadline
    optimum = result.slates[0].objective if result.slates else None
    alternatives, found, statuses = _best_with(sub, pid, optimum)
    said_zh = f"{pid}已被排除（您的假设分析设置），因此不在任何方案中。"
    said_en = f"{pid} is excluded by your what-if settings, so no slate includes them."
    if found is not None:
        slate = verified(c, found.slate, found.objective, 1, freed.allow_pending)
        cost = None if optimum is None else optimum - found.objective
        posts = slate.post_of(pid)
        posts_zh = "、".join(f"{BODY_NAMES[b][0]}{POST_NAMES[post][0]}" for b, post in posts)
        posts_en = ", ".join(f"{b}.{p}" for b, p in posts)
        out.update(
            possible=True, cost=cost, objective=found.objective, slate=slate_json(slate), in_a_best=False
        )
        if cost is None:
            zh = f"取消排除后，含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}（当前设置下没有方案）。"
            en = (
                f"Without the exclusion, the best slate with {pid} ({posts_en}) scores {found.objective} "
                "(no slate exists under the current settings)."
            )
        elif cost > 0:
            zh = f"取消排除后，含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}，比当前最佳方案低{cost}。"
            en = (
                f"Without the exclusion, the best slate with {pid} ({posts_en}) scores {found.objective}, "
                f"{cost} below the current best slate."
            )
        elif cost == 0:
            zh = f"取消排除后，含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}，与当前最佳方案相同。"
            en = (
                f"Without the exclusion, the best slate with {pid} ({posts_en}) scores {found.objective}, "
                "the same as the current best slate."
            )
        else:
            zh = f"取消排除后，含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}，比当前最佳方案高{-cost}。"
            en = (
                f"Without the exclusion, the best slate with {pid} ({posts_en}) scores {found.objective}, "
                f"{-cost} above the current best slate."
            )
        _said(out, Text(said_zh + zh, f"{said_en} {en}"))
        return out
    if all(st == "infeasible" for st in statuses):
        exp = explain_infeasible(sub, locks=alternatives[0], subject=pid, alternatives=alternatives)
        out.update(possible=False, explanation=exp)
        _said(out, Text(said_zh + str(exp["message_zh"]), f"{said_en} {exp['message_en']}"))
        return out
    _said(
        out,
        Text(
            said_zh + f"在时限内未能确定取消排除后{pid}能否入选。",
            f"{said_en} Could not decide in time whether they could serve without it.",
        ),
    )
    return out
