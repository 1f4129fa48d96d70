"""Working days: weekends, Vietnamese public holidays with Tết, and local adjustments."""

from datetime import date, datetime, time

from bot.services.dates.calendar import WorkCalendar


def test_tet_days_and_weekends_are_not_working_days() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2027, 2, 8))  # Monday, third day of Tết 2027
    assert not calendar.is_working_day(date(2026, 11, 21))  # Saturday
    assert calendar.is_working_day(date(2026, 11, 23))  # an ordinary Monday
    assert calendar.next_working_day(date(2027, 2, 4)) == date(2027, 2, 11)


def test_the_package_knows_make_up_saturdays() -> None:
    assert WorkCalendar().is_working_day(date(2026, 8, 22))  # worked for the 31 August bridge


def test_operators_add_days_off_and_make_up_days() -> None:
    calendar = WorkCalendar(
        extra_days_off=[date(2026, 11, 23)], make_up_working_days=[date(2026, 11, 28)]
    )
    assert not calendar.is_working_day(date(2026, 11, 23))
    assert calendar.is_working_day(date(2026, 11, 28))
    # 21–22 weekend, 23 extra day off, 24 Vietnam Cultural Day, 28 made up, 29 Sunday.
    assert calendar.working_days_between(date(2026, 11, 20), date(2026, 11, 30)) == 5


def test_quiet_hours_span_midnight() -> None:
    calendar = WorkCalendar(quiet_start=time(21), quiet_end=time(7))
    assert calendar.is_quiet(datetime(2026, 11, 23, 22, 0))
    assert calendar.is_quiet(datetime(2026, 11, 23, 6, 59))
    assert not calendar.is_quiet(datetime(2026, 11, 23, 7, 0))
