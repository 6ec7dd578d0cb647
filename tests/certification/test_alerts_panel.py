"""The admin dashboard (and the coordinator's) shows certification alerts:
lapsed, expiring and renewal-window counts on each holder's program's
calendar, and the CE entries waiting for a decision, each linking on."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from certification.selectors import certification_alerts
from certification.status import Status
from tests.accounts.factories import ProgramFactory
from tests.certification.factories import certify, log_ce
from tests.mentorship.factories import make_mentor

pytestmark = pytest.mark.django_db


def counts(user):
    return dict(certification_alerts(user=user)["counts"])


def test_the_panel_counts_what_needs_attention_and_links_to_it(
    admin_user, admin_client, program, coordinator
):
    lapsed = make_mentor(program, certified=False, email="lapsed@example.org")
    certify(lapsed, expires_in_days=-1)
    expiring = make_mentor(program, certified=False, email="expiring@example.org")
    certify(expiring, expires_in_days=5)
    log_ce(expiring)
    assert counts(admin_user)[Status.LAPSED] == 1
    assert counts(admin_user)[Status.EXPIRING] == 1
    assert certification_alerts(user=admin_user)["waiting"] == 1
    page = admin_client.get(reverse("dashboard")).content.decode()
    assert "Certification alerts" in page
    assert f"{reverse('certification:report')}?status=lapsed" in page
    assert reverse("certification:ce_queue") in page


def test_a_coordinator_counts_only_their_programs_holders(coordinator, program, other_program):
    certify(
        make_mentor(other_program, certified=False, email="far@example.org"), expires_in_days=-3
    )
    assert counts(coordinator)[Status.LAPSED] == 0


def test_each_holder_is_dated_on_their_programs_calendar(admin_user):
    """At 02:30 UTC it is already tomorrow in UTC but still today in the US: a
    certification expiring today in Los Angeles has not lapsed there yet."""
    west = ProgramFactory(time_zone="America/Los_Angeles")
    holder = make_mentor(west, certified=False, email="west@example.org")
    moment = dt.datetime(2026, 11, 28, 2, 30, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        today_there = timezone.localtime(timezone.now(), dt.timezone(dt.timedelta(hours=-8))).date()
        cert = certify(holder, expires_in_days=0)
        assert cert.expires_on == today_there
        assert counts(admin_user)[Status.LAPSED] == 0
        assert counts(admin_user)[Status.EXPIRING] == 1


def test_voided_hours_wait_for_no_one(admin_user, program, coordinator):
    from certification import services

    holder = make_mentor(program, email="holder@example.org")
    entry = log_ce(holder)
    assert certification_alerts(user=admin_user)["waiting"] == 1
    services.ce_void(entry=entry, by=coordinator, reason="Logged twice")
    assert certification_alerts(user=admin_user)["waiting"] == 0
