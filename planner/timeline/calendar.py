"""The official working calendar (T04 `calendar`, 国务院放假安排).

Official days come from the `chinesecalendar` package: State Council public holidays
and the make-up working days (调休) of each year's notice (2021: 国办发明电〔2020〕27号,
New Year 1-3 January; Spring Festival 11-17 February, make-up working days Sunday
7 February and Saturday 20 February). The package covers 2004-2026. A calendar file
(`schedule.calendar`: the `holidays` and `workdays` of a State Council notice, for years the
package lacks) is laid over them, and the scenario's own `schedule.holidays` and
`schedule.workdays` over that. For a year that neither the package nor a calendar file covers,
the calendar falls back to weekends plus the listed days and says so in `warnings`; it never crashes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

from planner.text import Text

__all__ = ["HOLIDAY_NAMES", "WorkCalendar", "official_year_covered"]

HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
"""chinesecalendar's holiday names (English) and their Chinese names."""

_COVERED: dict[int, bool] = {}


def official_year_covered(year: int) -> bool:
    """Whether the chinesecalendar package has the State Council notice for `year`."""
    if year not in _COVERED:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            _COVERED[year] = True
        except NotImplementedError:
            _COVERED[year] = False
    return _COVERED[year]


class WorkCalendar:
    """Working days and rest days: official calendar, a calendar file, the scenario's own days.

    A date listed in `workdays` is a working day whatever else says; otherwise a date in
    `holidays` is a rest day; otherwise the calendar file decides (`file_workdays`, then
    `file_holidays`); otherwise the official calendar (weekends for years it lacks).
    `file_years` are the years the calendar file covers: no warning for them.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        *,
        file_holidays: Iterable[date] = (),
        file_workdays: Iterable[date] = (),
        file_years: Iterable[int] = (),
    ) -> None:
        self.holidays: frozenset[date] = frozenset(holidays)
        self.workdays: frozenset[date] = frozenset(workdays)
        self.file_holidays: frozenset[date] = frozenset(file_holidays)
        self.file_workdays: frozenset[date] = frozenset(file_workdays)
        self.file_years: frozenset[int] = frozenset(file_years)
        self.warnings: list[Text] = []
        self._warned_years: set[int] = set()
        self._cache: dict[date, bool] = {}
        for d in sorted(self.holidays & self.workdays):
            self.warnings.append(
                Text(
                    f"{d} 同时列为节假日和调休工作日，按工作日计算",
                    f"{d} is listed both as a holiday and as a make-up working day; treated as a working day",
                )
            )
        for d in sorted(self.file_holidays & self.file_workdays):
            self.warnings.append(
                Text(
                    f"{d} 在日历文件中同时列为节假日和调休工作日，按工作日计算",
                    f"{d} is listed in the calendar file both as a holiday and as a make-up working day; "
                    "treated as a working day",
                )
            )

    def covered(self, year: int) -> bool:
        """Whether the official data or the calendar file covers `year`."""
        return year in self.file_years or official_year_covered(year)

    def _warn_year(self, year: int) -> None:
        if year in self._warned_years:
            return
        self._warned_years.add(year)
        self.warnings.append(
            Text(
                f"{year}年不在官方日历数据中，也没有日历文件（schedule.calendar），"
                "仅按周末及场景给出的节假日/调休计算",
                f"{year} is not in the official calendar data nor in a calendar file (schedule.calendar); "
                "using weekends and the scenario's holidays and workdays only",
            )
        )

    def check_years(self, first: date, last: date) -> None:
        """Record a warning for every year in [first, last] the official data lacks."""
        for year in range(first.year, last.year + 1):
            if not self.covered(year):
                self._warn_year(year)

    def is_workday(self, d: date, *, warn: bool = True) -> bool:
        """An official working day (State Council calendar with 调休), after the scenario's overrides."""
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        if d in self.file_workdays:
            return True
        if d in self.file_holidays:
            return False
        cached = self._cache.get(d)
        if cached is None:
            if official_year_covered(d.year):
                cached = bool(chinese_calendar.is_workday(d))
            else:
                cached = d.weekday() < 5
            self._cache[d] = cached
        if warn and not self.covered(d.year):
            self._warn_year(d.year)
        return cached

    def public_holiday(self, d: date) -> Text | None:
        """The official public holiday `d` falls in (None: not one): the calendar file's holidays, else
        chinesecalendar's holiday detail (元旦, 春节, ...). A make-up working day is never one."""
        if d in self.workdays or d in self.file_workdays:
            return None
        if d in self.file_holidays:
            return Text("日历文件所列节假日", "a holiday of the calendar file")
        if not official_year_covered(d.year):
            return None
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        if not on_holiday or not name:
            return None
        return Text(HOLIDAY_NAMES.get(name, name), name)

    def is_rest_day(self, d: date, *, warn: bool = True) -> bool:
        """An official rest day: weekends and public holidays, make-up working days excluded."""
        return not self.is_workday(d, warn=warn)

    def working_end(self, start: date, duration: int, *, warn: bool = True) -> date:
        """The day on which a stage of `duration` working days ends when begun on `start`.

        Counting starts at the first working day on or after `start` (SCENARIO.md: a stage in
        working units covers `duration` working days and starts and ends on a working day).
        """
        d = start
        counted = 0
        while True:
            if self.is_workday(d, warn=warn):
                counted += 1
                if counted >= duration:
                    return d
            d += timedelta(days=1)

    def working_days(self, first: date, last: date, *, warn: bool = True) -> int:
        """The number of working days in [first, last]."""
        n = 0
        d = first
        while d <= last:
            n += self.is_workday(d, warn=warn)
            d += timedelta(days=1)
        return n
