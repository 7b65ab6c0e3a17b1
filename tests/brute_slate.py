"""Brute-force slate enumerator for tests (not part of the product).

For small communities (up to 10-12 people, small seat counts) it enumerates every Party committee and
residents' committee, every assignment of their posts, a supervisory committee and the differential
candidate lists (S17/S18), and accepts a slate only when the solver-free checker
(`planner.check.check_slate`) finds every rule ok. It shares nothing with the CP-SAT model: the pruning
below is a second, plain-Python reading of RULES.md and SCENARIO.md ("Precise meanings"), used only to
skip slates that surely fail, and any slate it lets through is still judged by the checker. A slate the
pruning accepts but the checker rejects is recorded in `BruteResult.disagreements` (a bug in one of
the two readings); `prefilter=False` switches the pruning off (tiny instances only) to catch the reverse.

Glossary: the *team* (两委) is everyone with a post in the Party or the residents' committee; the
objective depends on the team only, so the result keeps one slate per distinct team.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import combinations, permutations

from planner.plan import Slate
from planner.scenario import PREFERRED_TAGS, Community, PersonId, education_at_least

Team = frozenset[PersonId]

PC, RC, SC = "party_committee", "residents_committee", "supervisory_committee"


@dataclass
class BruteResult:
    """Every feasible distinct team with one checked slate for it, plus bookkeeping for the tests."""

    teams: dict[Team, tuple[int, Slate]] = field(default_factory=dict)
    checked: int = 0
    disagreements: list[tuple[Slate, list[str]]] = field(default_factory=list)
    objective_mismatches: list[tuple[Team, int, int]] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return bool(self.teams)

    def objectives(self) -> list[int]:
        """Objectives of the distinct feasible teams, best first: entry r-1 is the r-th best (K-best)."""
        return sorted((obj for obj, _ in self.teams.values()), reverse=True)

    def best(self) -> int | None:
        objs = self.objectives()
        return objs[0] if objs else None


# ---------------------------------------------------------------- an independent reading of the rules


def close_pairs(c: Community) -> set[frozenset[PersonId]]:
    """Close relatives (S07): listed relations, siblings through a shared parent, grandparents via parents."""
    parents: dict[str, set[str]] = defaultdict(set)
    pairs: set[frozenset[str]] = set()
    for r in c.relatives:
        if r.relation == "parent":
            parents[r.b].add(r.a)
        elif r.relation == "child":
            parents[r.a].add(r.b)
        pairs.add(frozenset((r.a, r.b)))
    children: dict[str, set[str]] = defaultdict(set)
    for child, ps in parents.items():
        for p in ps:
            children[p].add(child)
    for kids in children.values():
        for a, b in combinations(sorted(kids), 2):
            pairs.add(frozenset((a, b)))
    for child, ps in parents.items():
        for p in ps:
            for gp in parents.get(p, ()):
                pairs.add(frozenset((gp, child)))
    ids = {p.id for p in c.people}
    return {pair for pair in pairs if len(pair) == 2 and pair <= ids}


def body_ok(c: Community, pid: PersonId, body: str, allow_pending: bool) -> bool:
    """S03 (Party committee), S04, S05, S15, S16 for one person and body, rules switched off skipped."""
    p, on = c.person[pid], c.rules.on
    if body == PC and on("S03") and not p.party_member:
        return False
    if on("S04") and p.disqualifications:
        return False
    if on("S05") and not (p.joint_review == "passed" or (allow_pending and p.joint_review == "pending")):
        return False
    if on("S15") and not p.stands(body):
        return False
    return not (on("S16") and (c.age(p) < 18 or not p.resident_voter))


def secretary_ok(c: Community, pid: PersonId) -> bool:
    """S06: Party standing; age and education unless incumbent secretary or waived."""
    if not c.rules.on("S06"):
        return True
    p, s = c.person[pid], c.rules
    years = c.party_years(p)
    if years is None or years < s.secretary_min_party_years:
        return False
    if p.holds(PC, "secretary"):
        return True
    if "education" not in p.waivers and not education_at_least(p.education, s.secretary_min_education):
        return False
    return not ("age" not in p.waivers and c.age(p) > s.secretary_max_age)


def _share_above(count: int, total: int, threshold: float) -> bool:
    return total > 0 and Fraction(count, total) > Fraction(str(threshold))


def composition_ok(
    c: Community,
    team: set[PersonId] | frozenset[PersonId],
    rc: tuple[PersonId, ...],
    rules: tuple[str, ...] = ("S08", "S09", "S10", "S11", "S19"),
) -> bool:
    """S08-S11 and S19: the make-up of the team and of the residents' committee."""
    on, s, people = c.rules.on, c.rules, c.person
    if "S08" in rules and on("S08") and sum(c.age(people[x]) <= s.young_max_age for x in team) < s.min_young:
        return False
    if "S09" in rules and on("S09") and sum(people[x].gender == "F" for x in team) < s.min_women:
        return False
    if "S10" in rules and on("S10") and c.previous_term.college_share is not None:
        college = sum(education_at_least(people[x].education, "college") for x in team)
        if not _share_above(college, len(team), c.previous_term.college_share):
            return False
    if "S11" in rules and on("S11"):
        members = sum(people[x].party_member for x in rc)
        if not _share_above(members, len(rc), s.rc_party_share_min):
            return False
        if c.previous_term.rc_party_share is not None and not _share_above(
            members, len(rc), c.previous_term.rc_party_share
        ):
            return False
    return not (
        "S19" in rules and on("S19") and c.multi_ethnic and not any(people[x].is_minority for x in rc)
    )


def team_objective(c: Community, team: frozenset[PersonId]) -> int:
    """RULES.md objective: per distinct team member support + 5 per preferred tag (+ continuity)."""
    w = c.rules.weights
    total = 0
    for x in team:
        p = c.person[x]
        total += w.support * p.support + w.preferred_source * len(set(p.tags) & set(PREFERRED_TAGS))
        total += w.continuity * (1 if p.incumbent else 0)
    return total


def list_size(c: Community, body: str) -> int:
    """S17: ceil(seats x (1 + ratio)) on exact decimals for the Party list, seats + 1 for the residents' list."""
    seats = getattr(c.rules.seats, body)
    if body == RC:
        return seats + 1
    return math.ceil(Decimal(seats) * (1 + Decimal(str(c.rules.differential_ratio))))


def rule_verdicts(c: Community, slate: Slate, allow_pending: bool = False) -> dict[str, bool]:
    """This module's reading of each rule in force (S02-S19) on a well-formed slate (S01 holds).

    Tests compare it rule by rule with the checker on random slates: that is what makes the pruning
    of `brute_slates` trustworthy in both directions.
    """
    on = c.rules.on
    pc, rc, sc = (tuple(slate.members(b)) for b in (PC, RC, SC))
    team = frozenset(pc) | frozenset(rc)
    holders = {(b, x) for b, group in ((PC, pc), (RC, rc), (SC, sc)) for x in group}
    posts = slate.posts
    out: dict[str, bool] = {}

    def person_rule(rule: str) -> bool:
        # body_ok with only `rule` in force among the person-level rules
        others = [r for r in ("S03", "S04", "S05", "S15", "S16") if r != rule]
        solo = c.model_copy(
            update={"rules": c.rules.model_copy(update={"disabled": [*c.rules.disabled, *others]})}
        )
        return all(body_ok(solo, x, b, allow_pending) for b, x in holders)

    for rule in ("S03", "S04", "S05", "S15", "S16"):
        if on(rule):
            out[rule] = person_rule(rule)
    if on("S02"):
        out["S02"] = posts.party_committee.secretary == posts.residents_committee.director
    if on("S06"):
        out["S06"] = secretary_ok(c, posts.party_committee.secretary)
    if on("S07"):
        pairs = close_pairs(c)
        bad = any(frozenset(p) in pairs for p in combinations(sorted(team), 2))
        if c.rules.recusal_supervisory:
            bad = bad or any(frozenset((s, t)) in pairs for s in sc for t in team)
        out["S07"] = not bad
    for rule in ("S08", "S09", "S10", "S11", "S19"):
        if on(rule):
            out[rule] = composition_ok(c, team, rc, (rule,))
    if on("S12"):
        out["S12"] = posts.residents_committee.deputy_director in pc
    if on("S13"):
        out["S13"] = posts.supervisory_committee.director == posts.party_committee.discipline_inspector
    if on("S14"):
        out["S14"] = not set(rc) & set(sc)
    lists = slate.candidate_lists
    if on("S17"):
        ok = True
        for body, members in ((PC, pc), (RC, rc)):
            lst = lists.get(body)
            if (
                lst is None
                or len(set(lst)) != len(lst)
                or len(lst) < list_size(c, body)
                or not set(members) <= set(lst)
                or not all(x in c.person and body_ok(c, x, body, allow_pending) for x in lst)
            ):
                ok = False
        out["S17"] = ok
    if on("S18"):
        pc_list, rc_list = tuple(dict.fromkeys(lists.get(PC, []))), tuple(dict.fromkeys(lists.get(RC, [])))
        seats = c.rules.seats
        out["S18"] = (
            PC in lists
            and RC in lists
            and len(pc_list) >= seats.party_committee
            and len(rc_list) >= seats.residents_committee
            and all(
                composition_ok(c, set(a) | set(b), b, ("S08", "S09", "S10", "S11"))
                and outcome_apart(c, set(a) | set(b), b, sc)
                for a in combinations(pc_list, seats.party_committee)
                for b in combinations(rc_list, seats.residents_committee)
            )
        )
    return out


def outcome_apart(
    c: Community, team: set[PersonId], rc: tuple[PersonId, ...], sc: tuple[PersonId, ...]
) -> bool:
    """S18's reading of S07 and S14 on one outcome of the lists (the supervisory committee as planned)."""
    on = c.rules.on
    if on("S07"):
        pairs = close_pairs(c)
        if any(frozenset(p) in pairs for p in combinations(sorted(team), 2)):
            return False
        if c.rules.recusal_supervisory and any(
            frozenset((s, t)) in pairs for s in sc for t in team if s not in team
        ):
            return False
    return not (on("S14") and set(rc) & set(sc))


# ---------------------------------------------------------------- enumeration


def _lock_ok(post_map: dict[PersonId, set[tuple[str, str]]], locks: dict[PersonId, str | None]) -> bool:
    for pid, where in locks.items():
        held = post_map.get(pid, set())
        if where is None:
            if not any(b in (PC, RC) for b, _ in held):
                return False
        elif "." in where:
            body, post = where.split(".", 1)
            if (body, post) not in held:
                return False
        elif not any(b == where for b, _ in held):
            return False
    return True


def brute_slates(
    c: Community,
    *,
    allow_pending: bool = False,
    locks: dict[PersonId, str | None] | None = None,
    excludes: list[PersonId] | tuple[PersonId, ...] = (),
    first_only: bool = False,
    prefilter: bool = True,
    max_people: int = 12,
    every: Callable[[Slate], None] | None = None,
    must: dict[str, set[PersonId]] | None = None,
    allowed: dict[str, set[PersonId]] | None = None,
) -> BruteResult:
    """All feasible distinct teams, each with one slate every check of `check_slate` accepts.

    `first_only` stops at the first feasible team (a feasibility test). `prefilter=False` tries every
    person everywhere and leaves every rule to the checker (use on 6-7 people only). `every` is called
    with every accepted slate (every post assignment of every team, one candidate list each unless S18
    is on), for brute-force re-planning (tests/test_replan.py). `must` (body -> people who sit on it) and
    `allowed` (body -> the only people who may) narrow the bodies enumerated (tests/test_second_round.py).
    """
    from planner.check import check_slate, slate_objective

    if len(c.people) > max_people:
        raise ValueError(f"brute force is for at most {max_people} people, got {len(c.people)}")
    locks = dict(locks or {})
    excluded = set(excludes)
    on = c.rules.on
    seats = {b: getattr(c.rules.seats, b) for b in (PC, RC, SC)}
    ids = [p.id for p in c.people if p.id not in excluded]
    if prefilter:
        eligible = {b: [x for x in ids if body_ok(c, x, b, allow_pending)] for b in (PC, RC, SC)}
        if allowed:
            eligible = {
                b: [x for x in xs if b not in allowed or x in allowed[b]] for b, xs in eligible.items()
            }
        sec_ok = {x for x in eligible[PC] if secretary_ok(c, x)}
        relatives = close_pairs(c) if on("S07") else set()
    else:
        eligible = {b: list(ids) for b in (PC, RC, SC)}
        sec_ok = set(ids)
        relatives = set()
    # Party locks to a body or post narrow the choice early; everything is re-checked by `_lock_ok`.
    must_in = {
        b: {x for x, w in locks.items() if w is not None and w.split(".")[0] == b}
        | set((must or {}).get(b, ()))
        for b in (PC, RC, SC)
    }

    def related(group: set[PersonId] | frozenset[PersonId], x: PersonId) -> bool:
        return any(frozenset((x, y)) in relatives for y in group if y != x)

    def clean(group: tuple[PersonId, ...]) -> bool:
        return not any(frozenset(pair) in relatives for pair in combinations(group, 2))

    result = BruteResult()
    list_sizes = {b: list_size(c, b) for b in (PC, RC)}

    def supervisory_options(
        team: frozenset[PersonId], rc: tuple[PersonId, ...], inspector: PersonId
    ) -> Iterator[tuple[PersonId, tuple[PersonId, ...]]]:
        pool = [
            x
            for x in eligible[SC]
            if not (prefilter and on("S14") and x in rc)
            and not (prefilter and on("S07") and c.rules.recusal_supervisory and related(team, x))
        ]
        directors = [inspector] if (prefilter and on("S13")) else pool
        for d in directors:
            if d not in pool:
                continue
            rest = [x for x in pool if x != d]
            for members in combinations(rest, seats[SC] - 1):
                if must_in[SC] <= {d, *members}:
                    yield d, members

    def robust(pc_list: tuple[PersonId, ...], rc_list: tuple[PersonId, ...]) -> bool:
        for pc_sub in combinations(pc_list, seats[PC]):
            for rc_sub in combinations(rc_list, seats[RC]):
                if not composition_ok(c, set(pc_sub) | set(rc_sub), rc_sub, ("S08", "S09", "S10", "S11")):
                    return False
        return True

    def robust_apart(
        lists: dict[str, list[PersonId]], director: PersonId, members: tuple[PersonId, ...]
    ) -> bool:
        sc = (director, *members)
        return all(
            outcome_apart(c, set(pc_sub) | set(rc_sub), rc_sub, sc)
            for pc_sub in combinations(lists[PC], seats[PC])
            for rc_sub in combinations(lists[RC], seats[RC])
        )

    def list_options(
        pc: tuple[PersonId, ...], rc: tuple[PersonId, ...]
    ) -> Iterator[dict[str, list[PersonId]]]:
        if not on("S17"):
            if on("S18"):
                # No differential required: the lists are the elected bodies themselves.
                if not prefilter or robust(pc, rc):
                    yield {PC: sorted(pc), RC: sorted(rc)}
                return
            yield {PC: sorted(pc), RC: sorted(rc)}
            return
        extra_pc = max(0, list_sizes[PC] - seats[PC])
        extra_rc = max(0, list_sizes[RC] - seats[RC])
        alt_pc = [x for x in eligible[PC] if x not in pc]
        alt_rc = [x for x in eligible[RC] if x not in rc]
        for a in combinations(alt_pc, extra_pc):
            for b in combinations(alt_rc, extra_rc):
                pc_list, rc_list = tuple(pc) + a, tuple(rc) + b
                if prefilter and on("S18") and not robust(pc_list, rc_list):
                    continue
                yield {PC: sorted(pc_list), RC: sorted(rc_list)}
                if not on("S18"):
                    return  # any alternates do; the checker still judges this one

    def slates_for(pc: tuple[PersonId, ...], rc: tuple[PersonId, ...]) -> Iterator[Slate]:
        team = frozenset(pc) | frozenset(rc)
        lists = None  # computed lazily, shared by every post assignment of this (pc, rc)
        sc_cache: dict[PersonId, list[tuple[PersonId, tuple[PersonId, ...]]]] = {}
        for sec, dep, insp in permutations(pc, 3):
            if prefilter and sec not in sec_ok:
                continue
            pc_members = sorted(x for x in pc if x not in (sec, dep, insp))
            directors = [sec] if (prefilter and on("S02")) else list(rc)
            for director in directors:
                if director not in rc:
                    continue
                for deputy in rc:
                    if deputy == director or (prefilter and on("S12") and deputy not in pc):
                        continue
                    rc_members = sorted(x for x in rc if x not in (director, deputy))
                    if insp not in sc_cache:
                        sc_cache[insp] = list(supervisory_options(team, rc, insp))
                    if not sc_cache[insp]:
                        continue
                    if lists is None:
                        lists = list(list_options(pc, rc))
                    if not lists:
                        return
                    for sc_director, sc_members in sc_cache[insp]:
                        post_map: dict[PersonId, set[tuple[str, str]]] = defaultdict(set)
                        for body, post, who in [
                            (PC, "secretary", sec),
                            (PC, "deputy_secretary", dep),
                            (PC, "discipline_inspector", insp),
                            (RC, "director", director),
                            (RC, "deputy_director", deputy),
                            (SC, "director", sc_director),
                        ]:
                            post_map[who].add((body, post))
                        for body, group in ((PC, pc_members), (RC, rc_members), (SC, sc_members)):
                            for who in group:
                                post_map[who].add((body, "member"))
                        if not _lock_ok(post_map, locks):
                            continue
                        for cand_lists in lists:
                            if (
                                prefilter
                                and on("S18")
                                and not robust_apart(cand_lists, sc_director, sc_members)
                            ):
                                continue
                            yield Slate.model_validate(
                                {
                                    "posts": {
                                        PC: {
                                            "secretary": sec,
                                            "deputy_secretary": dep,
                                            "discipline_inspector": insp,
                                            "member": pc_members,
                                        },
                                        RC: {
                                            "director": director,
                                            "deputy_director": deputy,
                                            "member": rc_members,
                                        },
                                        SC: {"director": sc_director, "member": sorted(sc_members)},
                                    },
                                    "candidate_lists": cand_lists,
                                }
                            )

    team_locked = {x for x, w in locks.items() if w is None}
    for pc in combinations(eligible[PC], seats[PC]):
        if not must_in[PC] <= set(pc) or (prefilter and not clean(pc)):
            continue
        for rc in combinations(eligible[RC], seats[RC]):
            if not must_in[RC] <= set(rc):
                continue
            team = frozenset(pc) | frozenset(rc)
            if (team in result.teams and every is None) or not team_locked <= team:
                continue
            if prefilter:
                if not clean(tuple(sorted(team))):
                    continue
                if not composition_ok(c, team, rc):
                    continue
                if on("S02") and not (set(pc) & set(rc) & sec_ok):
                    continue
                if on("S12") and not (set(pc) & set(rc)):
                    continue
                if on("S14") and not (len([x for x in eligible[SC] if x not in rc]) >= seats[SC]):
                    continue
            for slate in slates_for(pc, rc):
                result.checked += 1
                checks = check_slate(c, slate, allow_pending=allow_pending)
                failed = [ch.rule for ch in checks if not ch.ok]
                if failed:
                    if prefilter:
                        result.disagreements.append((slate, failed))
                    continue
                mine = team_objective(c, team)
                theirs = slate_objective(c, slate)
                if mine != theirs:
                    result.objective_mismatches.append((team, mine, theirs))
                slate.objective = theirs
                result.teams[team] = (theirs, slate)
                if every is None:
                    break
                every(slate)
            if first_only and result.teams:
                return result
    return result
