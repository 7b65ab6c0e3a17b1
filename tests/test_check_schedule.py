"""Solver-free schedule checker: an ok and a violated case per rule T01-T10."""

from __future__ import annotations

from datetime import date
from typing import Any

from helpers import community

from planner.check.schedule import check_schedule
from planner.scenario import Community, Subdistrict, parse_scenario


def sched(stages: list[dict[str, Any]], cid: str = "test", **schedule: Any) -> Community:
    c = community([], id=cid, schedule={"template": "none", "stages": stages, **schedule})
    return c


def plan(**rows: tuple[str, str]) -> dict[str, Any]:
    return {"test": {"stages": [{"id": k, "start": s, "end": e} for k, (s, e) in rows.items()]}}


def verdict(c: Any, p: dict[str, Any], rule: str, pins: dict[str, date] | None = None) -> bool:
    checks = {ch.rule: ch for ch in check_schedule(c, p, pins)}
    return checks[rule].ok


W = ["2021-01-04", "2021-01-29"]


def test_t01_window() -> None:
    c = sched([{"id": "a", "window": W, "duration": 3}])
    assert verdict(c, plan(a=("2021-01-04", "2021-01-06")), "T01")
    assert not verdict(c, plan(a=("2021-01-28", "2021-01-30")), "T01")


def test_t02_precedence_with_gap() -> None:
    c = sched([{"id": "a", "window": W}, {"id": "b", "window": W, "after": [{"stage": "a", "gap": 2}]}])
    assert verdict(c, plan(a=("2021-01-05", "2021-01-05"), b=("2021-01-07", "2021-01-07")), "T02")
    assert not verdict(c, plan(a=("2021-01-05", "2021-01-05"), b=("2021-01-06", "2021-01-06")), "T02")


def test_t03_publicity() -> None:
    five = sched([{"id": "p", "window": W, "duration": 5, "publicity": True}])
    assert verdict(five, plan(p=("2021-01-04", "2021-01-08")), "T03")
    assert not verdict(five, plan(p=("2021-01-04", "2021-01-07")), "T03")  # a plan of 4 days
    # shorter data than the law: tests/test_floors.py


def test_t04_every_day_of_an_election_stage() -> None:
    """A two-day election stage under `weekends` that covers a working day breaks T04 (issue 17)."""
    c = sched([{"id": "e", "window": W, "duration": 2, "election": True}], allowed_election_days="weekends")
    assert verdict(c, plan(e=("2021-01-09", "2021-01-10")), "T04")  # Saturday + Sunday
    checks = {ch.rule: ch for ch in check_schedule(c, plan(e=("2021-01-10", "2021-01-11")))}
    assert not checks["T04"].ok and "2021-01-11" in checks["T04"].detail  # Sunday + Monday
    assert checks["stages"].ok
    w = sched([{"id": "e", "window": W, "duration": 2, "election": True}], allowed_election_days="workdays")
    assert verdict(w, plan(e=("2021-01-11", "2021-01-12")), "T04")
    assert not verdict(w, plan(e=("2021-01-08", "2021-01-09")), "T04")  # Friday + Saturday


def test_t04_working_days_and_election_days() -> None:
    c = sched(
        [
            {"id": "w", "window": W, "duration": 3, "unit": "working"},
            {"id": "e", "window": W, "election": True},
        ],
        allowed_election_days="weekends",
    )
    good = plan(w=("2021-01-07", "2021-01-11"), e=("2021-01-09", "2021-01-09"))  # Thu, Fri, Mon; a Saturday
    assert verdict(c, good, "T04")
    assert not verdict(c, plan(w=("2021-01-07", "2021-01-09"), e=("2021-01-09", "2021-01-09")), "T04")
    assert not verdict(c, plan(w=("2021-01-07", "2021-01-11"), e=("2021-01-11", "2021-01-11")), "T04")


def test_t05_party_first_listed_or_not() -> None:
    c = sched(
        [
            {"id": "pc_election", "window": W, "election": True},
            {"id": "rc_election", "window": W, "election": True},
        ]
    )
    assert verdict(
        c, plan(pc_election=("2021-01-05", "2021-01-05"), rc_election=("2021-01-06", "2021-01-06")), "T05"
    )
    assert not verdict(
        c, plan(pc_election=("2021-01-06", "2021-01-06"), rc_election=("2021-01-06", "2021-01-06")), "T05"
    )


def test_t06_deadline() -> None:
    c = sched([{"id": "a", "window": W}], deadlines={"a": "2021-01-10"})
    assert verdict(c, plan(a=("2021-01-10", "2021-01-10")), "T06")
    assert not verdict(c, plan(a=("2021-01-11", "2021-01-11")), "T06")


def test_t07_capacity_counts_communities() -> None:
    stages = [{"id": "e", "window": W, "election": True}]
    sub = parse_scenario(
        {
            "kind": "subdistrict",
            "id": "s",
            "capacity": 1,
            "communities": [
                {
                    "kind": "community",
                    "id": cid,
                    "reference_date": "2020-12-10",
                    "schedule": {"template": "none", "stages": stages},
                }
                for cid in ("a", "b")
            ],
        }
    )
    assert isinstance(sub, Subdistrict)
    ok = {
        "a": {"stages": [{"id": "e", "start": "2021-01-05", "end": "2021-01-05"}]},
        "b": {"stages": [{"id": "e", "start": "2021-01-06", "end": "2021-01-06"}]},
    }
    bad = {
        "a": {"stages": [{"id": "e", "start": "2021-01-05", "end": "2021-01-05"}]},
        "b": {"stages": [{"id": "e", "start": "2021-01-05", "end": "2021-01-05"}]},
    }
    assert verdict(sub, ok, "T07")
    assert not verdict(sub, bad, "T07")


def test_t08_blackout_covers_every_day() -> None:
    c = sched([{"id": "a", "window": W, "duration": 3}], blackout=["2021-01-06"])
    assert verdict(c, plan(a=("2021-01-07", "2021-01-09")), "T08")
    assert not verdict(c, plan(a=("2021-01-05", "2021-01-07")), "T08")


def test_t09_voter_list_notice() -> None:
    c = sched(
        [
            {"id": "v", "window": ["2020-12-10", "2021-01-28"]},
            {"id": "e", "window": W, "election": True, "after": [{"stage": "v", "gap": 20, "rule": "T09"}]},
        ]
    )
    assert verdict(c, plan(v=("2020-12-19", "2020-12-19"), e=("2021-01-08", "2021-01-08")), "T09")
    assert not verdict(c, plan(v=("2020-12-19", "2020-12-19"), e=("2021-01-07", "2021-01-07")), "T09")
    assert verdict(c, plan(v=("2020-12-19", "2020-12-19"), e=("2021-01-07", "2021-01-07")), "T02")


def test_t10_candidate_notice() -> None:
    c = sched(
        [
            {"id": "k", "window": W},
            {"id": "e", "window": W, "election": True, "after": [{"stage": "k", "gap": 5, "rule": "T10"}]},
        ]
    )
    assert verdict(c, plan(k=("2021-01-04", "2021-01-04"), e=("2021-01-09", "2021-01-09")), "T10")
    assert not verdict(c, plan(k=("2021-01-04", "2021-01-04"), e=("2021-01-08", "2021-01-08")), "T10")


def test_disabled_rules_and_durations_and_pins() -> None:
    c = community(
        [],
        rules={"disabled": ["T01"]},
        schedule={"template": "none", "stages": [{"id": "a", "window": W, "duration": 2}]},
    )
    checks = {ch.rule: ch for ch in check_schedule(c, plan(a=("2021-03-01", "2021-03-02")))}
    assert checks["T01"].ok and checks["T01"].disabled
    assert checks["stages"].ok
    assert not verdict(c, plan(a=("2021-03-01", "2021-03-03")), "stages")
    assert not verdict(c, plan(a=("2021-03-01", "2021-03-02")), "pin", {"a": date(2021, 3, 2)})
    assert verdict(c, plan(a=("2021-03-02", "2021-03-03")), "pin", {"a": date(2021, 3, 2)})


def test_every_check_says_it_in_chinese_and_english() -> None:
    """detail_zh and detail_en on every check, ok or not; `detail` is both ("中文 / English")."""
    c = sched(
        [{"id": "e", "window": W, "duration": 2, "election": True}],
        allowed_election_days="weekends",
        blackout=["2021-01-11"],
        deadlines={"e": "2021-01-10"},
    )
    for rows in (plan(e=("2021-01-09", "2021-01-10")), plan(e=("2021-01-10", "2021-01-11")), plan()):
        for ch in check_schedule(c, rows, {"e": date(2021, 1, 9)}):
            assert ch.detail_zh and ch.detail_en and ch.detail_zh != ch.detail_en, ch
            assert ch.detail == f"{ch.detail_zh} / {ch.detail_en}"
            assert ch.text("zh") == ch.detail_zh and ch.text("en") == ch.detail_en
    bad = {ch.rule: ch for ch in check_schedule(c, plan(e=("2021-01-10", "2021-01-11")))}
    assert "2021-01-11" in bad["T04"].detail_zh and "休息日" in bad["T04"].detail_zh
    assert "rest day" in bad["T04"].detail_en and "禁选日" in bad["T08"].detail_zh
    assert "期限" in bad["T06"].detail_zh or "时限" in bad["T06"].detail_zh
