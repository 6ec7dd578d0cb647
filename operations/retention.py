"""Retention of closed cases: a program keeps a closed case (a mentee
discharged or graduated) for its RetentionSetting's years after the closing
date, in the program's own calendar. The monthly job lists the cases past it
(RetentionCandidate rows, ids and dates only); an admin confirms each purge.

The rule, one day: a case closed on D with N years is due on D's day N
years later (a case closed on February 29 is due on March 1 when that year
has no February 29). On that day it is listed: it has been kept N full
years. The day before it is not.

A purge deletes the mentee's case records: referral disclosures, referrals
and consents (PROTECT, so first), the crisis debriefs held on the mentee's
check-ins (the debrief is about the mentee's crisis), then the mentee, whose
cascade takes check-ins, assessments, plans and their parts, assignments and
their schedules, status changes, break-glass grants and follow-ups. It keeps
the audit trail (AccessEvent and ChangeEvent are append-only; the chain must
still verify) and everything that is the mentor's: certification and CE
records, supervision sessions (only the link to the mentee goes)."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.models import Program
from audit.models import Action
from checkins.models import GroupAttendance
from core.dates import local_today
from mentorship.choices import MenteeStatus
from mentorship.models import MenteeProfile
from referrals.models import Consent, Disclosure, Referral
from supervision.models import CrisisDebrief

from .models import DEFAULT_RETENTION_YEARS, RetentionCandidate, RetentionSetting

__all__ = ["DEFAULT_RETENTION_YEARS", "list_candidates", "retention_purge"]

CLOSED = (MenteeStatus.DISCHARGED, MenteeStatus.GRADUATED)


def years_back(day: date, years: int) -> date:
    """The same day `years` earlier; February 29 falls back to February 28."""
    year = day.year - years
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def due_since(closed_on: date, years: int) -> date:
    """The first day a case closed on `closed_on` is past `years` of retention."""
    year = closed_on.year + years
    try:
        return closed_on.replace(year=year)
    except ValueError:  # February 29 in a year without one
        return date(year, 3, 1)


def is_due(closed_on: date, years: int, today: date) -> bool:
    return closed_on <= years_back(today, years)


@dataclass(frozen=True)
class ProgramRetention:
    program_id: int
    time_zone: str
    years: int


def program_retentions() -> list[ProgramRetention]:
    """Every program's retention (the default where none is set): one query."""
    return [
        ProgramRetention(pk, zone, years or DEFAULT_RETENTION_YEARS)
        for pk, zone, years in Program.objects.order_by("pk").values_list(
            "pk", "time_zone", "retention__years"
        )
    ]


def retention_of(program: Program) -> int:
    setting = RetentionSetting.objects.filter(program=program).only("years").first()
    return setting.years if setting else DEFAULT_RETENTION_YEARS


def list_candidates(*, now: datetime | None = None) -> int:
    """Replace the candidate list with every closed case past its program's
    retention today: four queries, however many programs' mentees."""
    now = now or timezone.now()
    retentions = program_retentions()
    years = {r.program_id: r.years for r in retentions}
    due = [
        Q(
            program_id=r.program_id,
            status_changed_on__lte=years_back(local_today(r.time_zone, now), r.years),
        )
        for r in retentions
    ]
    rows = []
    if due:
        rows = [
            RetentionCandidate(
                mentee_id=pk,
                program_id=program_id,
                closed_on=closed_on,
                due_since=due_since(closed_on, years[program_id]),
                listed_at=now,
            )
            for pk, program_id, closed_on in MenteeProfile.objects.filter(status__in=CLOSED)
            .filter(reduce(or_, due))
            .order_by("pk")
            .values_list("pk", "program_id", "status_changed_on")
        ]
    with transaction.atomic():
        RetentionCandidate.objects.all().delete()
        RetentionCandidate.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def retention_setting_save(*, program: Program, years: int) -> RetentionSetting:
    with transaction.atomic():
        setting, _created = RetentionSetting.objects.select_for_update().get_or_create(
            program=program
        )
        setting.years = years
        setting.full_clean()
        setting.save()
    return setting


def retention_purge(*, mentee_id: int, by, confirmation: str, now: datetime | None = None) -> bool:
    """Purge one closed case past its retention, confirmed by typing its
    record number. True when this call purged it; False when it was already
    gone (a second admin who confirmed at the same time: the same answer)."""
    if (confirmation or "").strip() != str(mentee_id):
        raise ValidationError(
            {
                "confirmation": _("Type the record number %(id)s to confirm the purge.")
                % {"id": mentee_id}
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        mentee = (
            MenteeProfile.objects.select_for_update(of=("self",))
            .select_related("program")
            .filter(pk=mentee_id)
            .first()
        )
        if mentee is None:
            return False
        years = retention_of(mentee.program)
        today = local_today(mentee.program.time_zone, now)
        if mentee.status not in CLOSED or not is_due(mentee.status_changed_on, years, today):
            raise ValidationError(
                _("Record %(id)s is not past its program's retention: nothing was purged.")
                % {"id": mentee_id}
            )
        # Consents and disclosures are final for every page and service (their
        # querysets refuse delete()); retention is the one writer past that.
        QuerySet.delete(Disclosure.objects.filter(mentee_id=mentee_id))
        Referral.objects.filter(mentee_id=mentee_id).delete()
        QuerySet.delete(Consent.objects.filter(mentee_id=mentee_id))
        CrisisDebrief.objects.filter(checkin__mentee_id=mentee_id).delete()
        # A group's attendance row keeps its check-in (PROTECT): the mentee's
        # rows go first; the group itself, and the others in it, stay.
        GroupAttendance.objects.filter(mentee_id=mentee_id).delete()
        login = mentee.user
        mentee.delete()
        if login is not None:
            _forget_login(login, mentee_id)
        audit.record(
            by,
            action=Action.DELETE,
            mentee_ids=[mentee_id],
            object_type="mentee",
            object_id=mentee_id,
            reason="retention purge",
        )
    return True


def _forget_login(login, mentee_id: int) -> None:
    """The purged mentee's sign-in: no name, no address, no password, no
    second factor, never active again. The row stays (the audit trail names
    its id); saving it inactive ends every session and token."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=login).delete()
    Authenticator.objects.filter(user=login).delete()
    login.full_name = f"Purged record {mentee_id}"
    login.email = f"purged-{login.pk}@purged.invalid"
    login.is_active = False
    login.set_unusable_password()
    login.save(update_fields=["full_name", "email", "is_active", "password"])
