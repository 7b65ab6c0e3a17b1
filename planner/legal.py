"""Statutory minimums: the day counts that scenario data may lengthen but never shorten.

Each floor is kept here once, with its legal source; the validator rejects data below a floor,
and the schedule model and checker judge every plan against max(data, floor).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Floor:
    """A statutory minimum number of calendar days."""

    rule: str
    days: int
    what_zh: str
    what_en: str
    source: str


FLOORS: dict[str, Floor] = {
    f.rule: f
    for f in [
        Floor(
            "T03",
            5,
            "公示期不少于5日",
            "a publicity period lasts at least 5 days",
            "工作方案 四(二)1(3)（预备人选公示不少于5日）",
        ),
        Floor(
            "T09",
            20,
            "选民名单在选举日的二十日前公布",
            "the voter list is published at least 20 days before election day",
            "村民委员会组织法 第十四条（省级办法适用于居民委员会）",
        ),
        Floor(
            "T10",
            5,
            "正式候选人在选举日5日前公布",
            "the final candidates are published at least 5 days before election day",
            "省级选举办法",
        ),
    ]
}

PUBLICITY_MIN_DAYS = FLOORS["T03"].days


def gap_floor(rule: str, gap: int) -> int:
    """The gap a precedence entry of `rule` really needs: its data, raised to the statutory floor."""
    floor = FLOORS.get(rule)
    return max(gap, floor.days) if floor is not None and rule != "T03" else gap
