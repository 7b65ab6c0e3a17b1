"""CP-SAT slate model (RULES.md S01-S19, P01-P03): one function per rule id, each under its enabling literal.

Glossary: `x[p, body, post]` is 1 when person p holds a post *type* of a body (one Boolean per
(person, body, post type), never per seat, so the members of a body are unordered and there is no
seat symmetry); `m[p, body]` is the sum of p's x in that body (at most 1: one post per body);
`t[p]` is 1 when p is in the 两委 team (Party or residents' committee); `l[p, body]` is 1 when p is on
that body's differential candidate list (S17). `enable[rule]` is the enabling literal of a rule:
every constraint of rule Sxx is added with `only_enforce_if(enable[Sxx])`, so a rule can be switched
off (literal false / rule not added) or blamed (literal as an assumption). S01 always holds.

How the LP bound stays tight (the issue: a plain 40-person model found the best slate at once but
could not prove optimality for minutes):
- the objective is over `t[p]` (each team member counted once, as RULES.md says), not over seats;
  `t[p] <= m[p, pc] + m[p, rc]` and `t[p] >= m[p, body]` make t the OR of the memberships;
- seat arithmetic as redundant cuts: max(pc, rc) <= sum t <= pc + rc, minus 1 under S02 (the
  secretary is the director) and minus 1 more under S12 (the deputy director also sits on the Party
  committee, and is not the secretary): without these the LP counts pc + rc distinct people, with
  them it counts exactly the people the seats allow, so the root bound is the sum of the best
  weights that fit and optimality is proved at once;
- person-level rules (S03-S06, S15, S16) are applied before the model is built when their rule is
  simply in force: variables that cannot be 1 are never created, people who can hold nothing get
  no variables at all; only when explaining (assumption mode) are they created and fixed to 0 under
  the rule's literal, so the rule can be blamed;
- dominated people get no variables (dominance_filter): someone for whom enough better-ranked
  people exist who could take every one of their roles (eligible wherever they are, at least as
  young / woman / college / Party / minority, no extra relatives) cannot be needed; an exchange
  argument keeps the K best distinct-team objectives exact (benchmarks/RESULTS.md has the sizes);
- close relatives (S07) are pairwise `t[a] + t[b] <= 1`, quotas (S08, S09, S19) and shares (S10,
  S11) are single linear rows with exact integer coefficients (Fraction(str(decimal))).
- the solver (solve.py) asks CP-SAT for the full LP relaxation (linearization_level 2), and maximises
  without presolve and without CG, MIR and zero-half cuts: the root LP then closes the gap (figures in
  benchmarks/RESULTS.md).
S18 (robust lists) is modelled by counting: for a quota "at least k people of a set W in the
team", the worst elected team over all seats-subsets of the lists holds
max(a_pc, a_rc, a_pc + a_rc - w_both) people of W, where a_b = seats_b - (non-W people on list b)
is how many W people any elected body b must contain and w_both the W people on both lists (the
adversary makes the forced W people of the two bodies the same persons as far as it can). S11 is
about the residents' committee alone: seats - (non-members on its list) Party members at worst.
S10 (a share of a team whose size depends on the overlap) is also counted exactly, in the model
(robust_college_share): the adversary's finitely many choices are enumerated against threshold
literals on the list composition (derivation there). S07 and S14 under S18 are pairs of list places
(robust_recusal, robust_separation): two listed close relatives could both be elected, a supervisory
member on the residents' list could be elected to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from planner import eligibility
from planner.kinship import close_relatives
from planner.registry import implementation, rule
from planner.rules import SLATE_RULES, SOFT_RULES
from planner.scenario import BODIES, POSTS, TEAM_BODIES, Community, Person, PersonId, education_at_least

PC, RC, SC = "party_committee", "residents_committee", "supervisory_committee"
# Posts held by exactly one person (S01); the remaining seats of a body are `member`.
SINGLE_POSTS: dict[str, tuple[str, ...]] = {
    PC: ("secretary", "deputy_secretary", "discipline_inspector"),
    RC: ("director", "deputy_director"),
    SC: ("director",),
}
BLAMEABLE: list[str] = [r for r in SLATE_RULES if r != "S01"]
PERSON_RULES = ("S03", "S04", "S05", "S06", "S15", "S16")
Key = tuple[PersonId, str, str]
# Every role a person can play: each post of each body, and each differential list (post None).
ROLES: list[tuple[str, str | None]] = [(b, q) for b in BODIES for q in POSTS[b]] + [
    (b, None) for b in TEAM_BODIES
]


def exact(value: float) -> Fraction:
    """A scenario decimal as an exact fraction (0.2 -> 1/5)."""
    return Fraction(str(value))


def seats(c: Community, body: str) -> int:
    return int(getattr(c.rules.seats, body))


def party_list_size(c: Community) -> int:
    """S17: the Party list's minimum size (Community.list_size: a by-election's covers its vacancies)."""
    return c.list_size(PC)


def list_size(c: Community, body: str) -> int:
    return c.list_size(body)


def to_fill(c: Community, body: str) -> int:
    """Seats the vote fills in a body: all of them, or a by-election's vacancies (Community.to_fill)."""
    return c.to_fill(body)


def min_count_above(share: Fraction, n: int) -> int:
    """Smallest k with k / n strictly above `share` (S11 on a body of fixed size n)."""
    return math.floor(share * n) + 1


@rule("P01", "model")
def P01_support(c: Community, p: Person) -> int:
    """P01 民意: weights.support x the person's survey support (a team member's objective term)."""
    return c.rules.weights.support * p.support


@rule("P02", "model")
def P02_preferred_sources(c: Community, p: Person) -> int:
    """P02 优先人选: weights.preferred_source x the number of known preferred-source tags."""
    return c.rules.weights.preferred_source * len(p.preferred_tags())


@rule("P03", "model")
def P03_continuity(c: Community, p: Person) -> int:
    """P03 连选连任: weights.continuity for an incumbent."""
    return c.rules.weights.continuity * (1 if p.incumbent else 0)


def person_weight(c: Community, p: Person) -> int:
    """P01-P03: the sum of the soft rules' registered terms (objective over distinct team members)."""
    return sum(implementation(rule_id, "model")(c, p) for rule_id in SOFT_RULES)


def in_force(c: Community) -> list[str]:
    """The blameable rules in force (every slate rule but S01), in id order."""
    return [r for r in BLAMEABLE if c.rules.on(r)]


def blocking_rules(
    c: Community, p: Person, body: str, post: str | None, allow_pending: bool, sitting: bool = False
) -> dict[str, list]:
    """Person-level rules (with reasons) that bar p from a post of `body` (post None: from its list, S17).

    One rule, one place: the reasons come from planner.eligibility (S03 Party committee only, S04, S05,
    S15, S16 for every body and list, S06 for the secretary's post only). Rules off give no reasons.
    `sitting`: the post is p's own in a by-election, where they are no candidate: S05 and S15 (the
    candidates' joint review and willingness to stand) do not apply (eligibility.candidate_rules).
    """
    out: dict[str, list] = {}
    candidates: list[tuple[str, list]] = []
    if body == PC:
        candidates.append(("S03", eligibility.reasons_S03(c, p)))
    candidates += [
        ("S04", eligibility.reasons_S04(c, p)),
        ("S05", [] if sitting else eligibility.reasons_S05(c, p, allow_pending)),
        ("S15", [] if sitting else eligibility.reasons_S15(c, p, body)),
        ("S16", eligibility.reasons_S16(c, p)),
    ]
    if body == PC and post == "secretary":
        candidates.append(("S06", eligibility.reasons_S06(c, p)))
    for rule_id, reasons in candidates:
        if reasons:
            out[rule_id] = reasons
    return out


@dataclass
class Lock:
    """A lock of SlateOptions: None (in the team), "BODY" (some post of it) or "BODY.POST"."""

    body: str | None = None
    post: str | None = None

    @classmethod
    def parse(cls, value: str | None) -> Lock:
        if value in (None, "", "team"):
            return cls()
        body, _, post = str(value).partition(".")
        if body not in BODIES:
            raise ValueError(f"lock '{value}': unknown body '{body}'; use one of {', '.join(BODIES)}")
        if post and post not in POSTS[body]:
            raise ValueError(f"lock '{value}': unknown post '{post}'; {body} has {', '.join(POSTS[body])}")
        return cls(body, post or None)


@dataclass
class SlateModel:
    """The CP-SAT model of one community's slate with its variables, by rule."""

    c: Community
    active: set[str]
    assumptions: bool
    allow_pending: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    enable: dict[str, cp_model.IntVar] = field(default_factory=dict)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    t: dict[PersonId, cp_model.IntVar] = field(default_factory=dict)
    l: dict[tuple[PersonId, str], cp_model.IntVar] = field(default_factory=dict)  # noqa: E741 (list seats, S17)
    people: list[Person] = field(default_factory=list)
    weight: dict[PersonId, int] = field(default_factory=dict)
    rank: dict[PersonId, int] = field(default_factory=dict)
    dropped: int = 0
    relatives: dict[PersonId, set[PersonId]] = field(default_factory=dict)
    # a by-election's sitting members (Community.sitting): {pid: {body: post}}, fixed; and those in the team
    sitting: dict[PersonId, dict[str, str]] = field(default_factory=dict)
    sitting_team: set[PersonId] = field(default_factory=set)
    # person rules in force barring each person from each role (post, or list: post None): blocking_rules
    blocks: dict[PersonId, dict[tuple[str, str | None], list[str]]] = field(default_factory=dict)
    # S17 list sizes other than the scenario's (a second round: the elected plus the second-round list)
    list_sizes: dict[str, int] = field(default_factory=dict)
    # Session.optimize's objective once set: (tie-break, its scale W, its largest value); see tiebreak_terms
    combined: tuple[Any, int, int] | None = None

    def list_size(self, body: str) -> int:
        """S17: the size of a body's list in this model (list_sizes, else the scenario's)."""
        return self.list_sizes.get(body, list_size(self.c, body))

    # ---- helpers

    def order(self, pid: PersonId) -> int:
        """Position in the scenario's list of people."""
        return self._order[pid]

    def __post_init__(self) -> None:
        self._order = {p.id: i for i, p in enumerate(self.c.people)}

    def lit(self, *rules: str) -> list[cp_model.IntVar]:
        return [self.enable[r] for r in rules]

    def var(self, pid: PersonId, body: str, post: str) -> cp_model.IntVar | int:
        return self.x.get((pid, body, post), 0)

    def m(self, pid: PersonId, body: str) -> cp_model.LinearExprT:
        """1 when p holds some post of the body (one post per body, see S01)."""
        vs = [self.x[(pid, body, post)] for post in POSTS[body] if (pid, body, post) in self.x]
        return sum(vs) if vs else 0

    def has(self, pid: PersonId, body: str) -> bool:
        return any((pid, body, post) in self.x for post in POSTS[body])

    def team(self, pids: Iterable[PersonId] | None = None) -> cp_model.LinearExprT:
        return sum(self.t[p] for p in (self.t if pids is None else pids) if p in self.t)

    def objective_expr(self) -> cp_model.LinearExprT:
        """P01-P03 (RULES.md objective): weights over distinct team members; supervisory committee excluded.

        In a by-election only the newcomers to the team count: the sitting team members are in every
        slate, so leaving their (constant) weights out changes no comparison between slates."""
        return sum(self.weight[p] * v for p, v in self.t.items() if p not in self.sitting_team)

    def forbid(self, rule_id: str) -> None:
        """A person rule: every variable of a role the rule bars its holder from is 0 under the rule's literal.

        Only assumption mode has such variables: with the rule simply in force build_model never creates
        them (the same reasons, blocking_rules, decide), so there is nothing left to forbid."""
        lit = self.enable[rule_id]
        for (pid, body, post), v in self.x.items():
            if rule_id in self.blocks[pid][(body, post)]:
                self.model.add(v == 0).only_enforce_if(lit)
        for (pid, body), v in self.l.items():
            if rule_id in self.blocks[pid][(body, None)]:
                self.model.add(v == 0).only_enforce_if(lit)


def build_model(
    c: Community,
    *,
    enabled: Iterable[str] | None = None,
    assumptions: bool = False,
    locks: dict[PersonId, str | None] | None = None,
    excludes: Iterable[PersonId] = (),
    allow_pending: bool = False,
    extra: Callable[[SlateModel], None] | None = None,
    distinct: int | None = None,
    objective: bool = True,
    cache: dict[str, Any] | None = None,
    list_sizes: dict[str, int] | None = None,
) -> SlateModel:
    """Build the slate model with the rules in `enabled` (default: every rule in force) switched on.

    With `assumptions` the enabling literals are left free (the caller passes them as assumptions);
    otherwise rules on are added with a literal fixed true and rules off are not added at all.
    Locks and excludes always hold (SCENARIO.md: they are never blamed).
    `distinct` (None: everybody gets variables) drops dominated people so that the best `distinct`
    distinct-team objectives are unchanged (dominance_filter); `objective` False when only feasibility
    is asked (the filter then ignores weights). `cache` (a dict kept by the caller for this same
    community object) saves recomputing eligibility and relatives across the many builds of an explanation.
    """
    in_force = [r for r in BLAMEABLE if c.rules.on(r)]
    active = set(in_force if enabled is None else [r for r in in_force if r in set(enabled)])
    sm = SlateModel(
        c=c,
        active=active,
        assumptions=assumptions,
        allow_pending=allow_pending,
        list_sizes=dict(list_sizes or {}),
    )
    model = sm.model
    for rule_id in BLAMEABLE:
        lit = model.new_bool_var(f"enable[{rule_id}]")
        sm.enable[rule_id] = lit
        if not assumptions or rule_id not in active:
            model.add(lit == (1 if rule_id in active else 0))
    excluded = set(excludes)
    people = [p for p in c.people if p.id not in excluded]
    sm.weight = {p.id: person_weight(c, p) for p in people}
    # person-level rules in force for each role (post, or list: post None), computed once
    cache = {} if cache is None else cache
    if cache.get("community") is not c or cache.get("allow_pending") != allow_pending:
        seats_held = c.sitting()
        cache.clear()
        cache.update(
            community=c,
            allow_pending=allow_pending,
            relatives=close_relatives(c),
            blocks={
                p.id: {
                    (body, post): list(
                        blocking_rules(
                            c,
                            p,
                            body,
                            post,
                            allow_pending,
                            post is not None and seats_held.get(p.id, {}).get(body) == post,
                        )
                    )
                    for body, post in ROLES
                }
                for p in c.people
            },
        )
    sm.relatives = cache["relatives"]
    sm.sitting, sm.sitting_team = c.sitting(), c.sitting_team()
    blocks = {
        p.id: {role: [r for r in rules if r in active] for role, rules in cache["blocks"][p.id].items()}
        for p in people
    }
    sm.rank = {
        p.id: i for i, p in enumerate(sorted(people, key=lambda q: (-sm.weight[q.id], sm.order(q.id))))
    }
    if distinct is not None:
        fixed = set(locks or {}) | set(sm.sitting)
        people = dominance_filter(sm, people, blocks, distinct, fixed, by_weight=objective)
    sm.people = people
    sm.blocks = blocks
    sm.dropped = len(c.people) - len(excluded & set(c.person)) - len(people)

    # variables: only those that can be 1 (person-level rules pre-filtered unless explaining)
    for p in sm.people:
        seated = sm.sitting.get(p.id, {})
        for body in BODIES:
            for post in POSTS[body]:
                if body in seated and post != seated[body]:
                    continue  # a sitting member keeps their post (by-election)
                live = blocks[p.id][(body, post)]
                if live and not assumptions:
                    continue
                sm.x[(p.id, body, post)] = model.new_bool_var(f"x[{p.id},{body},{post}]")
            if body in seated:
                continue  # not a candidate for the body they sit on: no list place
            if body in TEAM_BODIES:
                live = blocks[p.id][(body, None)]
                if live and not assumptions:
                    continue
                sm.l[(p.id, body)] = model.new_bool_var(f"l[{p.id},{body}]")
        if sm.has(p.id, PC) or sm.has(p.id, RC):
            sm.t[p.id] = model.new_bool_var(f"t[{p.id}]")

    for rule_id in SLATE_RULES:  # S01 always, then each rule in force: its registered builder
        if rule_id == "S01" or rule_id in active:
            implementation(rule_id, "model")(sm)
    if "S17" not in active:
        lists_are_members(sm)
    redundant_team_size(sm)
    apply_sitting(sm)
    apply_locks(sm, locks or {})
    if extra is not None:
        extra(sm)
    return sm


def apply_sitting(sm: SlateModel) -> None:
    """By-election: every sitting member holds their post (always, like S01: never blamed)."""
    for pid, posts in sm.sitting.items():
        for body, post in posts.items():
            v = sm.x.get((pid, body, post))
            sm.model.add(v == 1) if v is not None else sm.model.add_bool_or([])


def people_used(c: Community, active: set[str], assumptions: bool) -> int:
    """Most distinct people a slate can involve: every seat plus the list alternates (S17)."""
    n = sum(seats(c, b) for b in BODIES)
    if assumptions or "S17" in active:
        n += sum(max(0, list_size(c, b) - seats(c, b)) for b in TEAM_BODIES)
    return n


def dominance_filter(
    sm: SlateModel,
    people: list[Person],
    blocks: dict[PersonId, dict[tuple[str, str | None], list[str]]],
    distinct: int,
    locked: set[PersonId],
    by_weight: bool,
) -> list[Person]:
    """People who need variables: drop q when `keep` = U + distinct - 1 kept people dominate q.

    p dominates q when, for every role, the rules barring p are a subset of those barring q (in
    assumption mode per rule, so for every subset of rules switched on), p is at least as young/
    woman/college/Party member/minority as q (S08-S11, S18, S19 only ever need more of these),
    p's close relatives are a subset of q's (so p and q are not relatives), weight(p) >= weight(q)
    (when optimising) and p comes first in the processing order (rank: weight down, then scenario
    order). Neither is locked. U = people_used: a slate involves at most U people.

    Exchange argument (why the filter is exact): take any slate using a dropped q; at most U - 1
    other people are involved, so one of q's >= keep kept dominators p is free; give p every role of
    q: each rule still holds (by the subsets above, S07 included: p's relatives are q's, none of whom
    is in the team or, under recusal_supervisory, next to it), the objective does not drop and the
    tie-break (solve.py, increasing in rank) strictly improves. Repeating removes every dropped
    person. For the top K teams: with keep >= U + K - 1, the last dropped team member of a slate
    can be swapped for any of >= K free dominators, giving K distinct teams at least as good, so the
    K best distinct-team objectives are those of the full model. Dropping is monotone in `keep`, and
    the tie-break optimum never uses a person with a free dominator, so the slate reported does not
    depend on `distinct` either.
    """
    c = sm.c
    keep = people_used(c, sm.active, sm.assumptions) + max(1, distinct) - 1
    rel = sm.relatives
    masks: dict[PersonId, int] = {}
    rule_keys = sorted({r for b in blocks.values() for rs in b.values() for r in rs})
    for p in people:
        mask, i = 0, 0
        for role in ROLES:
            barred = blocks[p.id][role]
            if sm.assumptions:  # allowed per (role, rule): a subset for every choice of rules switched on
                for r in rule_keys:
                    if r not in barred:
                        mask |= 1 << i
                    i += 1
            else:
                if not barred:
                    mask |= 1 << i
                i += 1
        for flag in (young(c, p), woman(c, p), college(c, p), p.party_member, p.is_minority):
            if flag:
                mask |= 1 << i
            i += 1
        masks[p.id] = mask
    if not sm.assumptions:  # people who can hold nothing need no variables
        roles = (1 << len(ROLES)) - 1
        people = [p for p in people if masks[p.id] & roles or p.id in locked]

    def key(p: Person) -> tuple[int, ...]:
        if by_weight:
            return (sm.rank[p.id],)
        return (-masks[p.id].bit_count(), len(rel.get(p.id, ())), sm.order(p.id))

    free_groups: dict[int, int] = {}  # kept people without relatives: allowed mask -> how many
    with_relatives: dict[PersonId, list[PersonId]] = {}  # kept people with relatives, by each relative
    kept: set[PersonId] = set()
    for q in sorted(people, key=key):
        mq, rq = masks[q.id], rel.get(q.id, set())
        if q.id not in locked:
            count = 0
            for m, n in free_groups.items():
                if mq & ~m == 0:
                    count += n
                    if count >= keep:
                        break
            if count < keep:
                seen: set[PersonId] = set()
                for r in rq:
                    for pid in with_relatives.get(r, ()):
                        if pid not in seen and mq & ~masks[pid] == 0 and rel[pid] <= rq:
                            seen.add(pid)
                count += len(seen)
            if count >= keep:
                continue
        kept.add(q.id)
        if q.id in locked:
            continue  # a locked person is always involved: never counted as a free dominator
        if rq:
            for r in rq:
                with_relatives.setdefault(r, []).append(q.id)
        else:
            free_groups[mq] = free_groups.get(mq, 0) + 1
    return [p for p in people if p.id in kept]


def apply_locks(sm: SlateModel, locks: dict[PersonId, str | None]) -> None:
    """Locks always hold: None = in the team, "BODY" = some post of it, "BODY.POST" = that post."""
    for pid, value in locks.items():
        if pid not in sm.c.person:
            raise ValueError(f"lock: unknown person '{pid}'")
        lock = Lock.parse(value)
        if lock.body is None:
            sm.model.add(sm.t[pid] == 1) if pid in sm.t else sm.model.add_bool_or([])
        elif lock.post is None:
            sm.model.add(sm.m(pid, lock.body) == 1) if sm.has(pid, lock.body) else sm.model.add_bool_or([])
        else:
            v = sm.x.get((pid, lock.body, lock.post))
            sm.model.add(v == 1) if v is not None else sm.model.add_bool_or([])


# ---------------------------------------------------------------- rules


@rule("S01", "model")
def S01_seats(sm: SlateModel) -> None:
    """S01 班子职数 三(一), 四(二)3(1): each single post once, members fill the remaining seats; one post per body.

    Always holds, no literal. Also links t[p] = OR(m[p, pc], m[p, rc]) (the team, 两委).
    """
    model, c = sm.model, sm.c
    for body in BODIES:
        for post in POSTS[body]:
            holders = [v for (_, b, q), v in sm.x.items() if b == body and q == post]
            need = 1 if post in SINGLE_POSTS[body] else seats(c, body) - len(SINGLE_POSTS[body])
            model.add(sum(holders) == need)
        for p in sm.people:
            if sm.has(p.id, body):
                model.add(sm.m(p.id, body) <= 1)
    for pid, t in sm.t.items():
        pc, rc = sm.m(pid, PC), sm.m(pid, RC)
        model.add(t <= pc + rc)
        if sm.has(pid, PC):
            model.add(t >= pc)
        if sm.has(pid, RC):
            model.add(t >= rc)
    # every list holds the elected members of its body (S17 sizes and eligibility are S17's and the person rules')
    for body in TEAM_BODIES:
        for p in sm.people:
            if sm.has(p.id, body) and body not in sm.sitting.get(p.id, {}):
                lv = sm.l.get((p.id, body))
                if lv is None:  # pragma: no cover - x exists only if l exists
                    model.add(sm.m(p.id, body) == 0)
                else:
                    model.add(lv >= sm.m(p.id, body))


def redundant_team_size(sm: SlateModel) -> None:
    """Redundant seat arithmetic that keeps the LP bound tight (see the module docstring)."""
    pc, rc = seats(sm.c, PC), seats(sm.c, RC)
    team = sm.team()
    sm.model.add(team >= max(pc, rc))
    sm.model.add(team <= pc + rc)
    sm.model.add(team <= pc + rc - 1).only_enforce_if(sm.enable["S02"])
    sm.model.add(team <= pc + rc - 1).only_enforce_if(sm.enable["S12"])
    sm.model.add(team <= pc + rc - 2).only_enforce_if(sm.lit("S02", "S12"))


def lists_are_members(sm: SlateModel) -> None:
    """Without S17 (or with S17 off in assumption mode) the lists are exactly the elected members."""
    for (pid, body), lv in sm.l.items():
        cons = sm.model.add(lv == sm.m(pid, body))
        if sm.assumptions:
            cons.only_enforce_if(~sm.enable["S17"])


@rule("S02", "model")
def S02_one_shoulder(sm: SlateModel) -> None:
    """S02 一肩挑 三(一): the Party secretary is the residents' committee director."""
    for p in sm.people:
        a, b = sm.var(p.id, PC, "secretary"), sm.var(p.id, RC, "director")
        if isinstance(a, int) and isinstance(b, int):
            continue
        sm.model.add(a == b).only_enforce_if(sm.enable["S02"])


@rule("S03", "model")
def S03_party_only(sm: SlateModel) -> None:
    """S03 党员身份 (党章): only Party members on the Party committee.

    A person rule (reasons: planner.eligibility.reasons_S03, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S03]."""
    sm.forbid("S03")


@rule("S04", "model")
def S04_eligible(sm: SlateModel) -> None:
    """S04 资格条件 三(二): nobody with a disqualification D01-D17 holds a post or is listed.

    A person rule (reasons: planner.eligibility.reasons_S04, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S04]."""
    sm.forbid("S04")


@rule("S05", "model")
def S05_joint_review(sm: SlateModel) -> None:
    """S05 资格联审 三(三): only people with a passed joint review (pending in what-if mode).

    A person rule (reasons: planner.eligibility.reasons_S05, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S05]."""
    sm.forbid("S05")


@rule("S06", "model")
def S06_secretary_terms(sm: SlateModel) -> None:
    """S06 书记任职条件 三(二)5: the secretary meets Party standing, education and age.

    A person rule (reasons: planner.eligibility.reasons_S06, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S06]."""
    sm.forbid("S06")


@rule("S07", "model")
def S07_recusal(sm: SlateModel) -> None:
    """S07 近亲属回避 三(三): no two close relatives in the team; with recusal_supervisory none between
    the supervisory committee and the team."""
    rel = sm.relatives
    lit = sm.enable["S07"]
    for a in sorted(rel):
        for b in sorted(rel[a]):
            if a < b and a in sm.t and b in sm.t:
                sm.model.add(sm.t[a] + sm.t[b] <= 1).only_enforce_if(lit)
            if sm.c.rules.recusal_supervisory and a != b and sm.has(a, SC) and b in sm.t:
                sm.model.add(sm.m(a, SC) + sm.t[b] <= 1).only_enforce_if(lit)


def young(c: Community, p: Person) -> bool:
    return c.age(p) <= c.rules.young_max_age


def woman(c: Community, p: Person) -> bool:
    return p.gender == "F"


def college(c: Community, p: Person) -> bool:
    return education_at_least(p.education, "college")


@rule("S08", "model")
def S08_young(sm: SlateModel) -> None:
    """S08 年轻干部 三(四): at least min_young team members aged <= young_max_age."""
    sm.model.add(sm.team(p.id for p in sm.people if young(sm.c, p)) >= sm.c.rules.min_young).only_enforce_if(
        sm.enable["S08"]
    )


@rule("S09", "model")
def S09_women(sm: SlateModel) -> None:
    """S09 女性 三(四): at least min_women women in the team."""
    sm.model.add(sm.team(p.id for p in sm.people if woman(sm.c, p)) >= sm.c.rules.min_women).only_enforce_if(
        sm.enable["S09"]
    )


@rule("S10", "model")
def S10_college_share(sm: SlateModel) -> None:
    """S10 学历结构 三(四): college share of the team strictly above the previous term's (when given)."""
    prev = sm.c.previous_term.college_share
    if prev is None:
        return
    share = exact(prev)
    a, b = share.numerator, share.denominator
    coll = sm.team(p.id for p in sm.people if college(sm.c, p))
    sm.model.add(b * coll - a * sm.team() >= 1).only_enforce_if(sm.enable["S10"])


def rc_party_min(c: Community) -> int:
    """S11: the least number of Party members the residents' committee needs (strictly above both shares)."""
    n = seats(c, RC)
    need = min_count_above(exact(c.rules.rc_party_share_min), n)
    if c.previous_term.rc_party_share is not None:
        need = max(need, min_count_above(exact(c.previous_term.rc_party_share), n))
    return need


@rule("S11", "model")
def S11_rc_party_share(sm: SlateModel) -> None:
    """S11 居委会党员比例 三(四): RC Party share strictly above rc_party_share_min and the previous term's."""
    members = sum(sm.m(p.id, RC) for p in sm.people if p.party_member)
    sm.model.add(members >= rc_party_min(sm.c)).only_enforce_if(sm.enable["S11"])


@rule("S12", "model")
def S12_deputy_director_cross(sm: SlateModel) -> None:
    """S12 副主任交叉任职 三(一): the residents' committee deputy director also sits on the Party committee."""
    for p in sm.people:
        v = sm.x.get((p.id, RC, "deputy_director"))
        if v is not None:
            sm.model.add(v <= sm.m(p.id, PC)).only_enforce_if(sm.enable["S12"])


@rule("S13", "model")
def S13_supervisory_director(sm: SlateModel) -> None:
    """S13 监委会主任 四(二)3(1): the supervisory director is the Party committee's discipline inspector."""
    for p in sm.people:
        a, b = sm.var(p.id, SC, "director"), sm.var(p.id, PC, "discipline_inspector")
        if isinstance(a, int) and isinstance(b, int):
            continue
        sm.model.add(a == b).only_enforce_if(sm.enable["S13"])


@rule("S14", "model")
def S14_supervisory_separation(sm: SlateModel) -> None:
    """S14 不得兼任 四(二)3(1): no residents' committee member sits on the supervisory committee."""
    for p in sm.people:
        if sm.has(p.id, RC) and sm.has(p.id, SC):
            sm.model.add(sm.m(p.id, RC) + sm.m(p.id, SC) <= 1).only_enforce_if(sm.enable["S14"])


@rule("S15", "model")
def S15_willing(sm: SlateModel) -> None:
    """S15 参选意愿 四(二)2(4): posts and lists only of the bodies a person stands for.

    A person rule (reasons: planner.eligibility.reasons_S15, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S15]."""
    sm.forbid("S15")


@rule("S16", "model")
def S16_adult_resident(sm: SlateModel) -> None:
    """S16 选民资格: every holder and listed person is an adult resident voter.

    A person rule (reasons: planner.eligibility.reasons_S16, through blocking_rules). In force, build_model
    never creates the variables of the roles it bars; in assumption mode they are 0 under enable[S16]."""
    sm.forbid("S16")


@rule("S17", "model")
def S17_differential(sm: SlateModel) -> None:
    """S17 差额 四(二)1(1): Party list ceil(seats x (1 + ratio)) people, residents' list seats + 1.

    Each list holds its body's members (S01 links) and eligible people only (person rules, at creation).
    Exactly the minimum size: a longer list can always drop an alternate and stay valid (also for S18).
    """
    for body in TEAM_BODIES:
        on_list = [v for (_, b), v in sm.l.items() if b == body]
        sm.model.add(sum(on_list) == sm.list_size(body)).only_enforce_if(sm.enable["S17"])


def _list_extra(sm: SlateModel, body: str) -> cp_model.LinearExprT:
    """Alternates on a list: list size minus seats, i.e. (list_size - seats) x enable[S17] (without S17 the
    lists are exactly the members). Written with constants so that the S18 rows propagate on bounds."""
    extra = sm.list_size(body) - to_fill(sm.c, body)
    if sm.assumptions:
        return extra * sm.enable["S17"]
    return extra if "S17" in sm.active else 0


def _robust_quota(sm: SlateModel, rule: str, attr: Callable[[Community, Person], bool], k: int) -> None:
    """S18 for a team quota: the worst elected team still has k people with `attr` (module docstring).

    An elected body b must contain at least a_b = W_b - extra_b people of W (W_b: W people on list b,
    extra_b: its alternates); the worst team has max(a_pc, a_rc, a_pc + a_rc - W_both) of them.
    By-election: the sitting team members are in every outcome, so the lists need only k minus those of
    W among them; a sitting member on the other body's list adds nobody to the team, so for the count
    they are not of W (the adversary may elect them to fill a seat with nobody new).
    """
    c = sm.c
    k -= sum(1 for pid in sm.sitting_team if pid in c.person and attr(c, c.person[pid]))
    if k <= 0:
        return

    def new_w(pid: PersonId) -> bool:
        return pid not in sm.sitting_team and attr(c, c.person[pid])

    model = sm.model
    forced = {}
    for body in TEAM_BODIES:
        on_list = sum(v for (pid, b), v in sm.l.items() if b == body and new_w(pid))
        forced[body] = on_list - _list_extra(sm, body)
    both = []
    for p in sm.people:
        if new_w(p.id) and (p.id, PC) in sm.l and (p.id, RC) in sm.l:
            z = model.new_bool_var(f"S18.{rule}.both[{p.id}]")
            model.add(z >= sm.l[(p.id, PC)] + sm.l[(p.id, RC)] - 1)
            both.append(z)
    z1, z2, z3 = (model.new_bool_var(f"S18.{rule}.case{i}") for i in (1, 2, 3))
    model.add(forced[PC] >= k).only_enforce_if(z1)
    model.add(forced[RC] >= k).only_enforce_if(z2)
    model.add(forced[PC] + forced[RC] - sum(both) >= k).only_enforce_if(z3)
    model.add_bool_or([z1, z2, z3]).only_enforce_if(sm.lit("S18", rule))


def robust_share_failures(
    s_pc: int, s_rc: int, share: Fraction, c_sit: int = 0, n_sit: int = 0
) -> list[tuple[int, int, int, int]]:
    """The adversary's failing choices for S18 + S10, as (k, j, o, n) (robust_college_share).

    k college people elected to the Party committee, j to the residents' committee, o of them the same
    persons (o <= min(k, j)), so the team holds c = k + j - o college people and at most
    n' = (s_pc - k) + (s_rc - j) others; with n >= 0 others it fails S10 when c / (c + n) <= share, i.e.
    c x (den - num) <= num x n. Each entry carries the least failing n (none when even n' passes);
    an entry (k, j, o, n) whose n equals that of (k, j, o - 1) is left out (that one is stronger).
    By-election: c_sit college and n_sit other sitting team members are in every team, so it fails when
    (c + c_sit) / (c + c_sit + n + n_sit) <= share, i.e. (c + c_sit) x (den - num) - num x n_sit <= num x n.
    """
    num, den = share.numerator, share.denominator
    out = []
    for k in range(s_pc + 1):
        for j in range(s_rc + 1):
            most = s_pc + s_rc - k - j
            last = None
            for o in range(min(k, j) + 1):
                c = k + j - o
                value = (c + c_sit) * (den - num) - num * n_sit
                if value <= 0:
                    n = 0
                elif num == 0:
                    continue
                else:
                    n = -(-value // num)  # ceil
                if n > most or n == last:
                    continue
                last = n
                out.append((k, j, o, n))
    return out


def robust_college_share(sm: SlateModel) -> None:
    """S18 with S10: whichever listed candidates lose, the elected team's college share stays strictly
    above the previous term's. Exact counting, under [S18, S10].

    Composition of the lists (C: college, N: not): C_b / N_b such people on list b, C_both college people
    on both lists, N_any non-college people on either list. The adversary picks E_pc (s_pc of the Party
    list) and E_rc (s_rc of the residents' list); the team is E_pc | E_rc. College and non-college
    people are chosen independently, so a choice is (k, j, o_c) for the college part (k in E_pc, j in
    E_rc, o_c in both) and (s_pc - k, s_rc - j, o_n) for the others. With P = people only on the Party
    list, R = only on the residents' list, B = on both (of one kind), elected counts (a, b) and overlap
    o are achievable iff
        o <= min(a, b),  o <= B,  a <= P + B,  b <= R + B,  a + b - o <= P + R + B
    (necessary: the overlap lies in B, each body draws from its list, the union from both lists;
    sufficient: take the overlap from B, then each body's rest from its own-only people first and
    B's remaining people after: the extra B people needed are max(0, a-o-P) + max(0, b-o-R), which fit
    into B - o exactly when the last three hold). The team has c = k + j - o_c college people and
    n = (s_pc - k) + (s_rc - j) - o_n others; c / (c + n) is smallest when o_c is largest and o_n
    smallest. For given (k, j) with k <= C_pc, j <= C_rc, s_pc - k <= N_pc, s_rc - j <= N_rc (the
    choice of k and j is possible), o_c = min(k, j, C_both) and o_n = max(0, n' - N_any) (n' =
    (s_pc - k) + (s_rc - j)) are achievable (the other conditions then follow from these four), giving
    n = min(n', N_any). Hence: the lists fail S18/S10 iff there is (k, j, o, n) with
        k <= C_pc, j <= C_rc, s_pc - k <= N_pc, s_rc - j <= N_rc, o <= C_both, n <= N_any,
        o <= min(k, j), n <= n', (k + j - o) x (den - num) <= num x n
    (if: the adversary then gets at most k + j - o college people and at least n others; only if: take
    the worst choice itself). The last two lines involve constants only, so the failing (k, j, o, n)
    are enumerated once (robust_share_failures, with prev = num/den as a Fraction) and each gets the
    clause "C_pc < k or C_rc < j or N_pc < s_pc - k or N_rc < s_rc - j or C_both < o or N_any < n"
    over threshold literals ([X >= v] <=> X >= v, two reified rows each; literals of thresholds <= 0
    are false and left out; an empty clause makes S18 and S10 together infeasible, e.g. prev = 1).
    C_both is counted by z >= l_pc + l_rc - 1 and N_any by e >= l_pc, e >= l_rc: both can only be
    over-counted, which only makes the clauses harder, and the exact values are always allowed, so
    the rows are exact.

    By-election: the lists elect the vacancies (s_b = to_fill) and the sitting team members T are in
    every team (c_sit college, n_sit not). A sitting member on the other body's list (S_b of them on list
    b; each sits on one team body, so is on one list at most) adds nobody when elected: the adversary
    picks u_b <= S_b of them and s_b - u_b newcomers, and the counting above runs on the newcomers with
    s_b - u_b seats and the sitting members added (robust_share_failures with c_sit, n_sit); each
    clause then also has "S_pc < u_pc or S_rc < u_rc". A full election has no sitting members (u = 0).
    """
    prev = sm.c.previous_term.college_share
    if prev is None or (not sm.assumptions and "S10" not in sm.active):
        return
    c, model = sm.c, sm.model
    fill = {PC: to_fill(c, PC), RC: to_fill(c, RC)}
    flag = {p.id: college(c, p) for p in sm.people}
    seated = sm.sitting_team
    c_sit = sum(1 for pid in seated if pid in c.person and college(c, c.person[pid]))
    n_sit = len(seated) - c_sit

    def on_list(body: str, want: bool) -> cp_model.LinearExprT:
        return sum(v for (pid, b), v in sm.l.items() if b == body and pid not in seated and flag[pid] == want)

    both, either = [], []
    for p in sm.people:
        if p.id in seated:
            continue
        lp, lr = sm.l.get((p.id, PC)), sm.l.get((p.id, RC))
        if flag[p.id]:
            if lp is not None and lr is not None:
                z = model.new_bool_var(f"S18.S10.both[{p.id}]")
                model.add(z >= lp + lr - 1)
                both.append(z)
        elif lp is not None and lr is not None:
            e = model.new_bool_var(f"S18.S10.either[{p.id}]")
            model.add(e >= lp)
            model.add(e >= lr)
            either.append(e)
        elif lp is not None or lr is not None:
            either.append(lp if lp is not None else lr)
    counts = {
        "C_pc": on_list(PC, True),
        "C_rc": on_list(RC, True),
        "N_pc": on_list(PC, False),
        "N_rc": on_list(RC, False),
        "C_both": sum(both),
        "N_any": sum(either),
        "S_pc": sum(v for (pid, b), v in sm.l.items() if b == PC and pid in seated),
        "S_rc": sum(v for (pid, b), v in sm.l.items() if b == RC and pid in seated),
    }
    listed_seated = {body: sum(1 for (pid, b) in sm.l if b == body and pid in seated) for body in (PC, RC)}
    at_least: dict[tuple[str, int], cp_model.IntVar] = {}

    def below(name: str, v: int) -> list[cp_model.LinearExprT]:
        """The literal [counts[name] < v] as a one-element list (empty when v <= 0: always false)."""
        if v <= 0:
            return []
        if (name, v) not in at_least:
            y = model.new_bool_var(f"S18.S10.{name}>={v}")
            model.add(counts[name] >= v).only_enforce_if(y)
            model.add(counts[name] <= v - 1).only_enforce_if(~y)
            at_least[(name, v)] = y
        return [~at_least[(name, v)]]

    lits = sm.lit("S18", "S10")
    for u_pc in range(min(fill[PC], listed_seated[PC]) + 1):
        for u_rc in range(min(fill[RC], listed_seated[RC]) + 1):
            s_pc, s_rc = fill[PC] - u_pc, fill[RC] - u_rc
            for k, j, o, n in robust_share_failures(s_pc, s_rc, exact(prev), c_sit, n_sit):
                clause = [
                    *below("S_pc", u_pc),
                    *below("S_rc", u_rc),
                    *below("C_pc", k),
                    *below("C_rc", j),
                    *below("N_pc", s_pc - k),
                    *below("N_rc", s_rc - j),
                    *below("C_both", o),
                    *below("N_any", n),
                ]
                model.add_bool_or(clause).only_enforce_if(lits)


def robust_recusal(sm: SlateModel) -> None:
    """S18 with S07: no outcome of the lists puts two close relatives in the team or, under
    recusal_supervisory, a close relative of a supervisory member in it. Under [S18, S07].

    Two listed people a (on list A) and b (on list B) can both be elected exactly when A != B (each list
    elects at least one seat) or A == B elects at least two (every seat in a full election: each body
    has at least 2; a by-election's vacancies may be one), so the rows are l[a, A] + l[b, B] <= 1 for
    every such pair of list places: exact, not merely sufficient. A by-election's sitting team member is
    in every outcome: none of their close relatives may be listed.
    Elected members are on their lists (S01 links), so these rows cover them too. A supervisory member
    s (planned, not elected from a list) and a relative b: m[s, SC] + l[b, B] <= 1.
    """
    lits = sm.lit("S18", "S07")
    model, rel = sm.model, sm.relatives

    def places(pid: PersonId) -> list[tuple[str, cp_model.IntVar]]:
        return [(b, sm.l[(pid, b)]) for b in TEAM_BODIES if (pid, b) in sm.l]

    for a in sorted(rel):
        if a not in sm.c.person:
            continue
        for b in sorted(rel[a]):
            if a < b:
                for body_a, va in places(a):
                    for body_b, vb in places(b):
                        if body_a != body_b or to_fill(sm.c, body_a) >= 2:
                            model.add(va + vb <= 1).only_enforce_if(lits)
                if a in sm.sitting_team:  # by-election: a sitting member is in every outcome's team
                    for _, vb in places(b):
                        model.add(vb == 0).only_enforce_if(lits)
                if b in sm.sitting_team:
                    for _, va in places(a):
                        model.add(va == 0).only_enforce_if(lits)
            if sm.c.rules.recusal_supervisory and a != b and sm.has(a, SC):
                for _, vb in places(b):
                    model.add(sm.m(a, SC) + vb <= 1).only_enforce_if(lits)


def robust_separation(sm: SlateModel) -> None:
    """S18 with S14: no supervisory member is on the residents' list (an outcome could elect them).
    Under [S18, S14]."""
    lits = sm.lit("S18", "S14")
    for p in sm.people:
        lr = sm.l.get((p.id, RC))
        if lr is not None and sm.has(p.id, SC):
            sm.model.add(sm.m(p.id, SC) + lr <= 1).only_enforce_if(lits)


@rule("S18", "model")
def S18_robust_list(sm: SlateModel) -> None:
    """S18 差额稳健: whichever listed candidates lose, the elected team still meets S08-S11, S07 and S14
    (those in force).

    S08, S09, S11 by exact counting (_robust_quota and the residents' Party members); S10 by exact
    counting over the adversary's choices (robust_college_share); S07 and S14 by pairs of list places
    (robust_recusal, robust_separation). Each under [S18, rule].
    """
    c = sm.c
    robust_recusal(sm)
    robust_separation(sm)
    _robust_quota(sm, "S08", young, c.rules.min_young)
    _robust_quota(sm, "S09", woman, c.rules.min_women)
    party = sum(v for (pid, b), v in sm.l.items() if b == RC and c.person[pid].party_member)
    seated = sum(1 for pid, posts in sm.sitting.items() if RC in posts and c.person[pid].party_member)
    need = rc_party_min(c) - seated  # by-election: the sitting residents' Party members always count
    if need > 0:
        sm.model.add(party - _list_extra(sm, RC) >= need).only_enforce_if(sm.lit("S18", "S11"))
    robust_college_share(sm)


@rule("S19", "model")
def S19_minority(sm: SlateModel) -> None:
    """S19 少数民族成员 (居委会组织法 第七条): in a multi-ethnic community the RC has a minority member."""
    if not sm.c.multi_ethnic:
        return
    minority = sum(sm.m(p.id, RC) for p in sm.people if p.is_minority)
    sm.model.add(minority >= 1).only_enforce_if(sm.enable["S19"])
