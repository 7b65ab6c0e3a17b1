"""The working calendar (T04): State Council holidays, 调休, scenario overrides, years without data."""

from __future__ import annotations

from datetime import date

from planner.timeline.calendar import WorkCalendar


def test_spring_festival_2021() -> None:
    """国办发明电〔2020〕27号: 11-17 February off; Sunday 7 and Saturday 20 February working."""
    cal = WorkCalendar()
    assert all(cal.is_rest_day(date(2021, 2, d)) for d in range(11, 18))
    assert cal.is_workday(date(2021, 2, 7)) and date(2021, 2, 7).weekday() == 6
    assert cal.is_workday(date(2021, 2, 20)) and date(2021, 2, 20).weekday() == 5
    assert cal.is_workday(date(2021, 2, 10)) and cal.is_workday(date(2021, 2, 18))
    assert cal.warnings == []


def test_new_year_2021() -> None:
    cal = WorkCalendar()
    assert all(cal.is_rest_day(date(2021, 1, d)) for d in (1, 2, 3))
    assert cal.is_workday(date(2021, 1, 4))
    assert cal.is_workday(date(2020, 12, 31))


def test_working_days_across_spring_festival() -> None:
    cal = WorkCalendar()
    # Wed 10 Feb, then the holiday, then Thu 18 and Fri 19 February.
    assert cal.working_end(date(2021, 2, 10), 3) == date(2021, 2, 19)
    # Started on a rest day, counting begins at the next working day.
    assert cal.working_end(date(2021, 2, 13), 1) == date(2021, 2, 18)
    # Sat 20 February is a make-up working day.
    assert cal.working_end(date(2021, 2, 19), 2) == date(2021, 2, 20)
    assert cal.working_days(date(2021, 2, 8), date(2021, 2, 21)) == 6


def test_scenario_overrides() -> None:
    cal = WorkCalendar(holidays=[date(2021, 1, 5)], workdays=[date(2021, 1, 9)])
    assert cal.is_rest_day(date(2021, 1, 5))
    assert cal.is_workday(date(2021, 1, 9))
    both = WorkCalendar(holidays=[date(2021, 1, 5)], workdays=[date(2021, 1, 5)])
    assert both.is_workday(date(2021, 1, 5)) and both.warnings


def test_year_without_official_data_warns_and_uses_weekends() -> None:
    cal = WorkCalendar(holidays=[date(2027, 2, 8)], workdays=[date(2027, 2, 13)])
    assert cal.is_workday(date(2027, 1, 4))  # a Monday
    assert cal.is_rest_day(date(2027, 1, 9))  # a Saturday
    assert cal.is_rest_day(date(2027, 2, 8))  # the scenario's holiday
    assert cal.is_workday(date(2027, 2, 13))  # the scenario's make-up Saturday
    assert len(cal.warnings) == 1
    assert (
        "2027年不在官方日历数据中" in cal.warnings[0].zh
        and "2027 is not in the official calendar" in cal.warnings[0].en
    )


def test_spring_festival_2026() -> None:
    """国办 2025-11-04: 15-23 February off; Saturdays 14 and 28 February working."""
    cal = WorkCalendar()
    assert all(cal.is_rest_day(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))
    assert cal.working_end(date(2026, 2, 13), 3) == date(2026, 2, 24)  # Fri 13, Sat 14, then Tue 24
    assert cal.public_holiday(date(2026, 2, 16)) is not None
    assert cal.public_holiday(date(2026, 2, 14)) is None  # a make-up working day is no holiday
    assert cal.warnings == []


def test_calendar_file_days_cover_their_years() -> None:
    cal = WorkCalendar(file_holidays=[date(2027, 2, 8)], file_workdays=[date(2027, 2, 13)], file_years=[2027])
    assert cal.is_rest_day(date(2027, 2, 8)) and cal.is_workday(date(2027, 2, 13))
    assert cal.is_rest_day(date(2027, 1, 9))  # weekends still rest days
    cal.check_years(date(2027, 1, 1), date(2027, 12, 31))
    assert cal.warnings == []
    cal.check_years(date(2028, 1, 1), date(2028, 1, 2))
    assert len(cal.warnings) == 1 and "2028" in cal.warnings[0].en
    assert cal.public_holiday(date(2027, 2, 8)) is not None
    assert cal.public_holiday(date(2027, 2, 9)) is None  # not listed, no official data


def test_scenario_days_override_the_calendar_file() -> None:
    cal = WorkCalendar(
        holidays=[date(2027, 2, 13)],
        workdays=[date(2027, 2, 8)],
        file_holidays=[date(2027, 2, 8)],
        file_workdays=[date(2027, 2, 13)],
        file_years=[2027],
    )
    assert cal.is_workday(date(2027, 2, 8)) and cal.is_rest_day(date(2027, 2, 13))


def test_public_holiday_names() -> None:
    cal = WorkCalendar()
    new_year = cal.public_holiday(date(2021, 1, 1))
    assert new_year is not None and new_year.zh == "元旦" and new_year.en == "New Year's Day"
    assert cal.public_holiday(date(2021, 1, 9)) is None  # a plain Saturday
    assert cal.public_holiday(date(2021, 2, 7)) is None  # the make-up Sunday
