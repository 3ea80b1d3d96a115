"""Availability arithmetic (plain functions) and the availability API."""

from datetime import UTC, date, datetime

import pytest

from scheduling import availability as av

MONDAY = date(2026, 11, 23)


def test_it_parses_and_formats_times_including_midnight_at_the_end():
    assert av.parse_hhmm("18:30") == 1110
    assert av.parse_hhmm("24:00") == 1440
    assert av.format_minutes(1440) == "24:00"
    for bad in ["24:01", "7:00", "18:60", "noon", ""]:
        with pytest.raises(ValueError):  # noqa: PT011
            av.parse_hhmm(bad)


def test_it_merges_overlapping_and_touching_windows_of_a_day_only():
    windows = [(0, 600, 700), (0, 650, 800), (0, 800, 900), (1, 0, 60), (0, 1000, 1100)]
    assert av.merge(windows) == [(0, 600, 900), (0, 1000, 1100), (1, 0, 60)]


def test_it_shows_windows_in_another_time_zone_moving_and_splitting_days():
    # Monday 01:00-03:00 in Athens (UTC+2 in winter) is Sunday 23:00 to Monday 01:00 in London
    assert av.convert([(0, 60, 180)], "Europe/Athens", "Europe/London", MONDAY) == [(0, 0, 60), (6, 1380, 1440)]


def test_it_handles_half_and_three_quarter_hour_zones():
    # 18:00-19:00 in Kathmandu (UTC+05:45) is 12:15-13:15 UTC, 17:45-18:45 in Kolkata (UTC+05:30)
    assert av.convert([(2, 1080, 1140)], "Asia/Kathmandu", "UTC", MONDAY) == [(2, 735, 795)]
    assert av.convert([(2, 1080, 1140)], "Asia/Kathmandu", "Asia/Kolkata", MONDAY) == [(2, 1065, 1125)]


def test_it_converts_on_the_real_dates_so_daylight_saving_is_honoured():
    # Madrid 18:00 on a Monday is 17:00 UTC in winter and 16:00 UTC in summer
    winter = av.convert([(0, 1080, 1140)], "Europe/Madrid", "UTC", date(2026, 3, 23))
    summer = av.convert([(0, 1080, 1140)], "Europe/Madrid", "UTC", date(2026, 3, 30))
    assert winter == [(0, 1020, 1080)]
    assert summer == [(0, 960, 1020)]


def test_it_suggests_the_next_common_times_after_now():
    madrid_evening = [(0, 18 * 60, 21 * 60)]
    athens_evening = [(0, 20 * 60, 23 * 60)]  # 19:00-22:00 in Madrid
    after = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    times = av.next_common_times(madrid_evening, "Europe/Madrid", athens_evening, "Europe/Athens", after=after, count=2)
    assert times == [
        (datetime(2026, 11, 23, 18, 0, tzinfo=UTC), datetime(2026, 11, 23, 20, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 18, 0, tzinfo=UTC), datetime(2026, 11, 30, 20, 0, tzinfo=UTC)),
    ]


def test_it_suggests_nothing_when_the_overlap_is_shorter_than_asked():
    times = av.next_common_times(
        [(0, 600, 630)], "UTC", [(0, 600, 700)], "UTC", after=datetime(2026, 11, 22, tzinfo=UTC), min_minutes=60
    )
    assert times == []


def test_it_knows_whether_a_time_is_covered():
    windows = [(0, 18 * 60, 21 * 60)]
    assert av.covers(
        windows, "Europe/Madrid", datetime(2026, 11, 23, 17, 0, tzinfo=UTC), datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    )
    assert not av.covers(
        windows, "Europe/Madrid", datetime(2026, 11, 23, 19, 30, tzinfo=UTC), datetime(2026, 11, 23, 20, 30, tzinfo=UTC)
    )


@pytest.mark.django_db
class TestAvailabilityApi:
    def test_it_replaces_and_reads_back_my_windows_merged(self, api, alice):
        windows = [
            {"day": "tue", "start": "18:00", "end": "19:30"},
            {"day": "tue", "start": "19:00", "end": "21:00"},
            {"day": "sun", "start": "22:00", "end": "24:00"},
        ]
        response = api(alice).put("/api/availability/", {"windows": windows}, format="json")
        assert response.status_code == 200
        assert response.json() == {
            "timezone": "Europe/Madrid",
            "windows": [
                {"day": "tue", "start": "18:00", "end": "21:00"},
                {"day": "sun", "start": "22:00", "end": "24:00"},
            ],
        }
        assert api(alice).get("/api/availability/").json()["windows"][0]["start"] == "18:00"

    def test_it_shows_my_windows_in_another_time_zone_on_request(self, api, alice):
        api(alice).put(
            "/api/availability/", {"windows": [{"day": "mon", "start": "18:00", "end": "20:00"}]}, format="json"
        )
        shown = api(alice).get("/api/availability/?tz=Asia/Kolkata").json()
        assert shown["timezone"] == "Asia/Kolkata"
        assert shown["windows"] == [
            {"day": "mon", "start": "22:30", "end": "24:00"},
            {"day": "tue", "start": "00:00", "end": "00:30"},
        ]

    @pytest.mark.parametrize(
        ("window", "field"),
        [
            ({"day": "someday", "start": "18:00", "end": "19:00"}, "day"),
            ({"day": "mon", "start": "19:00", "end": "18:00"}, "end"),
            ({"day": "mon", "start": "19:00", "end": "19:00"}, "end"),
            ({"day": "mon", "start": "7pm", "end": "21:00"}, "start"),
            ({"day": "mon", "start": "18:00", "end": "24:30"}, "end"),
            ({"day": "mon", "start": "24:00", "end": "24:00"}, "start"),
            ({"day": "mon", "end": "24:00"}, "start"),
        ],
    )
    def test_it_refuses_bad_windows_and_keeps_the_old_ones(self, api, alice, window, field):
        api(alice).put(
            "/api/availability/", {"windows": [{"day": "mon", "start": "18:00", "end": "20:00"}]}, format="json"
        )
        response = api(alice).put("/api/availability/", {"windows": [window]}, format="json")
        assert response.status_code == 400
        assert field in response.json()["windows"]["0"]
        assert api(alice).get("/api/availability/").json()["windows"] == [
            {"day": "mon", "start": "18:00", "end": "20:00"}
        ]

    def test_it_refuses_an_unknown_viewing_time_zone(self, api, alice):
        response = api(alice).get("/api/availability/?tz=Mars/Olympus")
        assert response.status_code == 400
        assert "tz" in response.json()

    def test_a_coordinator_reads_anyone_in_their_organisation_in_their_own_zone(self, api, carol, alice, dave):
        api(alice).put(
            "/api/availability/", {"windows": [{"day": "mon", "start": "18:00", "end": "20:00"}]}, format="json"
        )
        assert api(carol).get(f"/api/availability/{alice.user.pk}/").json()["windows"] == [
            {"day": "mon", "start": "18:00", "end": "20:00"}
        ]
        assert api(dave).get(f"/api/availability/{alice.user.pk}/").status_code == 404

    def test_people_cannot_read_strangers_availability(self, api, alice, victor, bob):
        assert api(victor).get(f"/api/availability/{alice.user.pk}/").status_code == 404
        assert api(bob).get(f"/api/availability/{alice.user.pk}/").status_code == 404
        assert api(alice).get(f"/api/availability/{alice.user.pk}/").status_code == 200

    def test_pair_members_read_each_others_availability(self, api, org_a, carol, alice, bob):
        from scheduling.models import Pairing
        from scheduling.services.pairings import pairing_approve

        pairing = Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice)
        pairing_approve(pairing_id=pairing.pk, by=carol)
        assert api(bob).get(f"/api/availability/{alice.user.pk}/").status_code == 200
        assert api(alice).get(f"/api/availability/{bob.user.pk}/").status_code == 200

    def test_anonymous_callers_are_refused(self, db):
        from rest_framework.test import APIClient

        assert APIClient().put("/api/availability/", {"windows": []}, format="json").status_code == 401
