"""Counting the change from an adopted plan (re-planning, SCENARIO.md "Re-planning"), solver-free.

The solver (planner/slate/replan.py) minimises, in this order, the people moved out of their posts and
the posts changed; this module recounts both in plain Python from the two slates, so that every
re-plan is re-checked like every other plan.

Glossary: a *holding* is (person, body, post); a base holder is *moved* when some post they held in the
base plan is not theirs in the new one (moved to another post, or out); a *post changed* is a base
holding lost (a single post that changed hands, or a member seat whose base member left it);
a *list change* is a base candidate-list place lost (someone dropped from a differential list).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.plan import Slate
from planner.scenario import BODIES, TEAM_BODIES, PersonId

Holding = tuple[PersonId, str, str]


def holdings(slate: Slate) -> set[Holding]:
    """Every (person, body, post) of a slate."""
    return {(pid, body, post) for body in BODIES for post, pid in slate.holders(body)}


def list_places(slate: Slate) -> set[tuple[PersonId, str]]:
    """Every (person, body) place on the differential candidate lists."""
    return {(pid, body) for body in TEAM_BODIES for pid in slate.candidate_lists.get(body, [])}


@dataclass(frozen=True)
class ChangeCount:
    """The lexicographic levels of a re-plan after feasibility: people moved, posts changed, list places lost."""

    moved: tuple[PersonId, ...]
    posts_changed: int
    list_changes: int

    @property
    def people_moved(self) -> int:
        return len(self.moved)


def count_changes(base: Slate, new: Slate) -> ChangeCount:
    """How far `new` is from `base`: the people moved (in base order), the posts changed, list places lost."""
    lost = holdings(base) - holdings(new)
    order: list[PersonId] = []
    for body in BODIES:
        for _, pid in base.holders(body):
            if pid not in order:
                order.append(pid)
    moved = tuple(pid for pid in order if any(h[0] == pid for h in lost))
    return ChangeCount(moved, len(lost), len(list_places(base) - list_places(new)))
