"""Issue 15 point 3: results are reused between what-ifs, and a reused (warm) what-if is exactly the cold one.

The app reuses solver results between what-ifs through `app_pages.common.solve_slates_cached`
(a cache of 64 results keyed on the community's canonical JSON and the options). These tests check that a
what-if served from it after other what-ifs is the slate list a fresh solve gives, that each distinct
what-if (lock, exclude, rule off) is solved once and only once, and that the solve does not depend on
what was solved before it in the process (no state is carried from one what-if to the next).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from helpers import generated_community

from planner.edits import apply_change
from planner.plan import SlateResult, slate_json
from planner.scenario import Community, parse_scenario
from planner.slate import SlateOptions, solve_slates


def slates_of(result: SlateResult) -> list[str]:
    return [json.dumps(slate_json(s), sort_keys=True, ensure_ascii=False) for s in result.slates]


@pytest.fixture(scope="module")
def whatifs() -> list[tuple[Community, dict[str, Any]]]:
    """A 30-person community, and the what-ifs a user makes after a first solve: lock a person of slate 2
    not in slate 1, exclude slate 1's secretary, switch S02 (一肩挑) off."""
    c = parse_scenario(generated_community(30), source="<generated 30>")
    assert isinstance(c, Community)
    base = solve_slates(c, SlateOptions(top=3))
    first, second = base.slates[0], base.slates[1]
    newcomer = sorted(second.team() - first.team())[0]
    secretary = dict(first.holders("party_committee"))["secretary"]
    off = apply_change(c, {"rules.disabled": [*c.rules.disabled, "S02"]})
    assert isinstance(off, Community)
    return [
        (c, {}),
        (c, {"locks": {newcomer: None}}),
        (c, {"excludes": [secretary]}),
        (off, {}),
        (c, {"locks": {newcomer: None}, "excludes": [secretary]}),
    ]


def test_a_what_if_does_not_depend_on_what_was_solved_before(
    whatifs: list[tuple[Community, dict[str, Any]]],
) -> None:
    forward = [slates_of(solve_slates(c, SlateOptions(top=3, **o))) for c, o in whatifs]
    backward = [slates_of(solve_slates(c, SlateOptions(top=3, **o))) for c, o in reversed(whatifs)]
    assert forward == backward[::-1]
    assert len({json.dumps(f) for f in forward[:4]}) == 4  # lock, exclude and rule off each change the slates


def test_a_warm_what_if_from_the_app_cache_is_the_cold_one(
    whatifs: list[tuple[Community, dict[str, Any]]],
) -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare mode: no "no runtime" warnings
    from app_pages import common

    cold = [slates_of(solve_slates(c, SlateOptions(top=3, **o))) for c, o in whatifs]
    common.clear_slate_cache()

    def app_solve(c: Community, o: dict[str, Any]) -> tuple[list[str], bool]:
        key = (
            c.canonical_json(),
            3,
            tuple(sorted(o.get("locks", {}).items())),
            tuple(sorted(o.get("excludes", []))),
            None,
            False,
        )
        result, seconds = common.timed(lambda: common.solve_slates_cached(*key))
        return slates_of(result), seconds.cached

    first = [app_solve(c, o) for c, o in whatifs]
    assert [s for s, _ in first] == cold
    assert not any(cached for _, cached in first)  # each distinct what-if is solved (never another's result)
    again = [app_solve(c, o) for c, o in reversed(whatifs)][::-1]  # toggled back, in another order
    assert [s for s, _ in again] == cold
    assert all(cached for _, cached in again)  # ... and served from the cache
