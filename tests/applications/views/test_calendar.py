"""The working-day calendar screen: who may use it, adding and removing days, audit, cache."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from applications.enums import CalendarDayKind, EventKind
from applications.models import AuditEvent, CalendarDay
from applications.queries import WORKING_CALENDAR_CACHE_KEY, working_calendar
from tests import factories

pytestmark = pytest.mark.django_db

CALENDAR = reverse("applications:calendar")
ADD = reverse("applications:calendar-day-add")


def remove_url(day):
    return reverse("applications:calendar-day-remove", kwargs={"pk": day.pk})


USERS = {
    "applicant": factories.ApplicantFactory,
    "reviewer": factories.ReviewerFactory,
    "programme_admin": factories.ProgrammeAdminFactory,
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("applicant", 403), ("reviewer", 403), ("programme_admin", 200)],
)
def test_calendar_permission_matrix(client, role, expected):
    if role != "anonymous":
        client.force_login(USERS[role]())
    day = CalendarDay.objects.create(date=date(2026, 12, 31), kind=CalendarDayKind.DAY_OFF)
    post_expected = 302 if expected == 200 else expected

    assert client.get(CALENDAR).status_code == expected
    add = client.post(ADD, {"date": "2026-12-18", "kind": "day_off"})
    remove = client.post(remove_url(day))

    assert (add.status_code, remove.status_code) == (post_expected, post_expected)
    if expected != 200:
        assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2026, 12, 31)]
        assert not AuditEvent.objects.exists()


@pytest.fixture
def admin_client(client, programme_admin):
    client.force_login(programme_admin)
    return client


def test_calendar_lists_the_years_public_holidays_and_admin_days(admin_client, programme_admin):
    CalendarDay.objects.create(
        date=date(2026, 12, 31),
        kind=CalendarDayKind.DAY_OFF,
        note="Decree 123",
        created_by=programme_admin,
    )
    CalendarDay.objects.create(date=date(2027, 1, 4), kind=CalendarDayKind.DAY_OFF)

    response = admin_client.get(CALENDAR, {"year": 2026})

    content = response.content.decode()
    assert [day for day, _name in response.context["public_holidays"]][:3] == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 7),
    ]
    assert '<li data-date="2026-12-16"><time datetime="2026-12-16">' in content
    assert "Independence Day" in content
    assert [day.date for day in response.context["admin_days"]] == [date(2026, 12, 31)]
    assert "Decree 123" in content
    assert f"Entered by {programme_admin.display_name}" in content
    assert 'href="?year=2027"' in content
    assert 'href="?year=2025"' in content


def test_calendar_year_defaults_and_bounds(admin_client):
    from django.utils import timezone

    assert admin_client.get(CALENDAR).context["year"] == timezone.localdate().year
    assert admin_client.get(CALENDAR, {"year": "soon"}).context["year"] == timezone.localdate().year
    assert admin_client.get(CALENDAR, {"year": 1900}).context["year"] == 2020
    assert admin_client.get(CALENDAR, {"year": 1900}).context["previous_year"] is None


def test_holiday_names_follow_the_language(admin_client):
    admin_client.cookies["django_language"] = "kk"
    response = admin_client.get(CALENDAR, {"year": 2026}, headers={"accept-language": "kk"})

    names = dict(response.context["public_holidays"])
    assert names[date(2026, 12, 16)] != "Independence Day"


def test_adding_a_bridge_day_is_audited_and_clears_the_cached_calendar(
    admin_client, programme_admin, django_capture_on_commit_callbacks
):
    assert working_calendar().is_working_day(date(2026, 12, 18))
    assert cache.get(WORKING_CALENDAR_CACHE_KEY) is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADD, {"date": "2026-12-18", "kind": "day_off", "note": " Bridge to the weekend "}
        )

    assert response.status_code == 302
    assert response.url == f"{CALENDAR}?year=2026"
    day = CalendarDay.objects.get()
    assert (day.date, day.kind, day.note, day.created_by) == (
        date(2026, 12, 18),
        CalendarDayKind.DAY_OFF,
        "Bridge to the weekend",
        programme_admin,
    )
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.subject) == (
        EventKind.CALENDAR_CHANGED,
        programme_admin,
        "2026-12-18",
    )
    assert event.data == {
        "change": "added",
        "date": "2026-12-18",
        "kind": "day_off",
        "note": "Bridge to the weekend",
    }
    assert cache.get(WORKING_CALENDAR_CACHE_KEY) is None
    assert not working_calendar().is_working_day(date(2026, 12, 18))


def test_adding_a_transferred_working_day(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            ADD, {"date": "2026-12-19", "kind": "working_day", "note": "Worked Saturday"}
        )

    assert working_calendar().is_working_day(date(2026, 12, 19))  # a Saturday


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (
            {"date": "2026-12-19", "kind": "day_off"},
            "is already a day off (a weekend or a public holiday)",
        ),
        (
            {"date": "2026-12-16", "kind": "day_off"},
            "is already a day off (a weekend or a public holiday)",
        ),
        ({"date": "2026-12-18", "kind": "working_day"}, "is already a working day"),
        ({"date": "", "kind": "day_off"}, "This field is required."),
        ({"date": "2026-12-18", "kind": "holiday"}, "Select a valid choice."),
        ({"date": "2026-12-18", "kind": "day_off", "note": "x" * 201}, "at most 200 characters"),
    ],
)
def test_adding_a_day_refuses_bad_input_and_saves_nothing(admin_client, posted, message):
    response = admin_client.post(ADD, posted)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.exists()


def test_adding_a_day_twice_is_refused(admin_client):
    admin_client.post(ADD, {"date": "2026-12-18", "kind": "day_off"})

    response = admin_client.post(ADD, {"date": "2026-12-18", "kind": "day_off"})

    assert response.status_code == 400
    assert "is already in the calendar. Remove it first to change it." in response.content.decode()
    assert CalendarDay.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_removing_a_day_is_audited_and_clears_the_cache(
    admin_client, programme_admin, django_capture_on_commit_callbacks
):
    day = CalendarDay.objects.create(
        date=date(2026, 12, 18), kind=CalendarDayKind.DAY_OFF, note="Bridge"
    )
    assert not working_calendar().is_working_day(date(2026, 12, 18))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(remove_url(day))

    assert response.url == f"{CALENDAR}?year=2026"
    assert not CalendarDay.objects.exists()
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor) == (EventKind.CALENDAR_CHANGED, programme_admin)
    assert event.data == {
        "change": "removed",
        "date": "2026-12-18",
        "kind": "day_off",
        "note": "Bridge",
    }
    assert working_calendar().is_working_day(date(2026, 12, 18))


def test_removing_a_day_already_removed_says_so(admin_client):
    response = admin_client.post(
        reverse("applications:calendar-day-remove", kwargs={"pk": 999}), follow=True
    )

    assert "This day was already removed from the calendar." in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_calendar_get_is_the_only_way_to_read_add_and_remove_are_post_only(admin_client):
    day = CalendarDay.objects.create(date=date(2026, 12, 18), kind=CalendarDayKind.DAY_OFF)

    assert admin_client.get(ADD).status_code == 405
    assert admin_client.get(remove_url(day)).status_code == 405
    assert CalendarDay.objects.count() == 1
