"""Availability arithmetic at its edges: a common hour exactly (kept at 60 minutes, not 59), a stretch
that began in the previous week, times of day at their limits, a conversion ending in a one-minute
piece, and the same answers whatever the process's own time zone."""

import os
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from scheduling.availability import absolute_intervals, convert, covers, intersect, next_common_times, parse_hhmm

MONDAY = date(2026, 1, 5)  # winter: Madrid is UTC+1, Auckland UTC+13
AFTER = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 5, hour, minute, tzinfo=UTC) + timedelta(days=day)


class TestCommonWindow:
    def test_exactly_one_hour_in_common_is_found_at_the_sixty_minute_minimum(self):
        # alice in UTC 10:00-11:00, bob in Madrid 11:00-12:00 local: the same hour
        found = next_common_times(
            [(0, 600, 660)], "UTC", [(0, 660, 720)], "Europe/Madrid", after=AFTER, min_minutes=60, count=1
        )
        assert found == [(at(0, 10), at(0, 11))]

    def test_fifty_nine_minutes_in_common_are_not_enough(self):
        found = next_common_times(
            [(0, 600, 659)], "UTC", [(0, 660, 720)], "Europe/Madrid", after=AFTER, min_minutes=60, count=5
        )
        assert found == []

    def test_a_stretch_cut_by_after_must_still_last_the_minimum(self):
        common = ([(0, 600, 720)], "UTC", [(0, 600, 720)], "UTC")
        assert next_common_times(*common, after=at(0, 11), min_minutes=60, count=1) == [(at(0, 11), at(0, 12))]
        assert next_common_times(*common, after=at(0, 11, 1), min_minutes=60, count=1)[0][0] > at(0, 12)

    def test_a_stretch_that_began_in_the_previous_week_is_found(self):
        # Monday 00:00-05:00 in Tokyo is Sunday 15:00-20:00 UTC, before the Tokyo week's Monday in UTC
        found = next_common_times(
            [(0, 0, 300)],
            "Asia/Tokyo",
            [(6, 840, 1440)],
            "UTC",
            after=datetime(2026, 1, 4, 15, 30, tzinfo=UTC),
            min_minutes=60,
            count=1,
        )
        assert found == [(datetime(2026, 1, 4, 15, 30, tzinfo=UTC), datetime(2026, 1, 4, 20, 0, tzinfo=UTC))]

    def test_sunday_night_and_monday_morning_are_one_stretch(self):
        windows = [(6, 1380, 1440), (0, 0, 60)]
        found = next_common_times(
            windows, "UTC", windows, "UTC", after=datetime(2026, 1, 4, 22, tzinfo=UTC), min_minutes=120, count=1
        )
        assert found == [(datetime(2026, 1, 4, 23, tzinfo=UTC), at(0, 1))]

    def test_covers_a_session_ending_exactly_at_the_windows_end(self):
        assert covers([(0, 600, 660)], "UTC", at(0, 10), at(0, 11))
        assert not covers([(0, 600, 660)], "UTC", at(0, 10), at(0, 11, 1))


class TestDefaultsAndWeeks:
    def test_by_default_one_hour_is_enough_and_five_are_given(self):
        windows = [(0, 600, 660), (2, 600, 660)]  # Monday and Wednesday, one hour each
        found = next_common_times(windows, "UTC", windows, "UTC", after=AFTER)
        assert [start for start, _end in found] == [at(day, 10) for day in (0, 2, 7, 9, 14)]
        assert all(end - start == timedelta(hours=1) for start, end in found)

    def test_it_looks_four_weeks_ahead_and_no_further(self):
        found = next_common_times([(2, 600, 720)], "UTC", [(2, 600, 720)], "UTC", after=AFTER, count=10)
        assert [start for start, _end in found] == [at(2 + 7 * week, 10) for week in range(4)]

    def test_stretches_are_found_in_the_weeks_ahead_in_order(self):
        found = next_common_times([(2, 600, 720)], "UTC", [(2, 600, 720)], "UTC", after=AFTER, count=4)
        assert [start for start, _end in found] == [at(2 + 7 * week, 10) for week in range(4)]


class TestIntervals:
    def test_an_empty_window_gives_no_interval(self):
        assert absolute_intervals([(0, 600, 600)], "UTC", MONDAY) == []

    def test_touching_intervals_have_nothing_in_common(self):
        assert intersect([(at(0, 10), at(0, 11))], [(at(0, 11), at(0, 12))]) == []

    def test_the_first_interval_of_each_list_counts(self):
        first = [(at(0, 10), at(0, 11)), (at(1, 10), at(1, 11))]
        assert intersect(first, [(at(0, 9), at(0, 12))]) == [(at(0, 10), at(0, 11))]


class TestTimesOfDay:
    @pytest.mark.parametrize(("text", "minutes"), [("00:00", 0), ("18:59", 1139), ("23:59", 1439), ("24:00", 1440)])
    def test_it_reads_the_edges_of_the_day(self, text, minutes):
        assert parse_hhmm(text) == minutes

    @pytest.mark.parametrize("text", ["25:00", "24:01", "18:60", "8:00", "18:5", "", "ab:cd", "18:00 "])
    def test_it_refuses_what_is_not_a_time_of_day(self, text):
        with pytest.raises(ValueError, match="not a time"):
            parse_hhmm(text)


class TestConversion:
    def test_a_conversion_can_end_in_a_one_minute_piece(self):
        # Kathmandu is UTC+5:45: Monday 17:14-18:16 UTC is 22:59 to 00:01 the next day there
        assert convert([(0, 1034, 1096)], "UTC", "Asia/Kathmandu", MONDAY) == [(0, 1379, 1440), (1, 0, 1)]

    def test_what_spills_past_sunday_night_reappears_on_monday(self):
        assert convert([(6, 1380, 1440)], "UTC", "Asia/Tokyo", MONDAY) == [(0, 480, 540)]

    def test_a_window_before_monday_in_the_other_zone_wraps_to_sunday(self):
        assert convert([(0, 0, 60)], "Asia/Tokyo", "UTC", MONDAY) == [(6, 900, 960)]


@pytest.fixture
def auckland_process():
    """The process's own time zone set to Auckland for the test, restored afterwards."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Auckland"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def answers():
    return (
        next_common_times([(0, 600, 660)], "UTC", [(0, 660, 720)], "Europe/Madrid", after=AFTER, count=2),
        next_common_times(
            [(0, 0, 300)],
            "Asia/Tokyo",
            [(6, 840, 1440)],
            "UTC",
            after=datetime(2026, 1, 4, 15, 30, tzinfo=UTC),
            count=1,
        ),
        convert([(0, 1034, 1096)], "UTC", "Asia/Kathmandu", MONDAY),
        convert([(2, 1200, 1440)], "Europe/Madrid", "Pacific/Auckland", MONDAY),
        covers([(0, 600, 660)], "UTC", at(0, 10), at(0, 11)),
    )


def test_the_arithmetic_does_not_depend_on_the_process_time_zone(request):
    expected = answers()
    request.getfixturevalue("auckland_process")
    assert time.localtime(0).tm_hour == 12  # really running in Auckland now (UTC+12 in January 1970)
    assert answers() == expected
    found = answers()[0]
    assert all(moment.utcoffset() == timedelta(0) for interval in found for moment in interval)
