"""Check-ins, drafts, schedules, crisis handling and recovery capital: the rules."""

import uuid
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, ngettext

from accounts.models import User
from certification.selectors import billable_reason
from core.constraints import plain_violations, violation
from core.dates import program_date, program_today
from core.once import submitted_once
from mentorship.choices import OPEN_STATUSES
from mentorship.models import Assignment, MenteeProfile
from mentorship.permissions import can_manage_mentees, can_work_with_mentee
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_soon

from .models import (
    CORRECTION_WINDOW,
    CRISIS_DUE_KEY,
    CheckIn,
    CheckInDraft,
    CheckInSchedule,
    RecoveryCapitalAssessment,
)
from .recovery_capital import ITEM_FIELDS
from .selectors import key_is_used

CLINICAL_FIELDS = ("substance_use_days", "craving_level", "mood", "duration_minutes")
COLLATERAL_FIELDS = (
    "occurred_at", "delivery_method", "duration_minutes", "notes", "collateral_name",
    "collateral_role", "collateral_organisation",
)  # fmt: skip


def _current_assignment(mentee: MenteeProfile) -> Assignment | None:
    return Assignment.objects.filter(mentee=mentee, ended_at__isnull=True).first()


def _last_counted(
    mentee: MenteeProfile, *, before: datetime, exclude_pk=None
) -> tuple[date, CheckIn | None]:
    """The day from which substance-use days are counted, and the check-in it
    comes from: the previous one that reached the mentee (or their self
    check-in), else the intake (None)."""
    previous = (
        CheckIn.objects.counted()
        .filter(mentee=mentee, occurred_at__lt=before)
        .exclude(kind__in=[CheckIn.Kind.ATTEMPT, CheckIn.Kind.COLLATERAL])
        .exclude(pk=exclude_pk)
        .select_related("author")
        .order_by("-occurred_at")
        .first()
    )
    if previous is None:
        return mentee.intake_date, None
    return program_date(previous.occurred_at, mentee.program), previous


def _too_many_days_of_use(checkin: CheckIn, elapsed: int, since: date, previous) -> str:
    """The refusal in the words of whoever is entering it: a mentee is told
    which of her check-ins the days count from (in her language)."""
    on = date_format(since, gettext("M j"))
    if checkin.kind != CheckIn.Kind.SELF:
        return ngettext(
            "Only %(days)d day has passed since %(on)s: days of use cannot be more.",
            "Only %(days)d days have passed since %(on)s: days of use cannot be more.",
            elapsed,
        ) % {"days": elapsed, "on": on}
    if previous is None:
        since_what = gettext("you started on %(on)s") % {"on": on}
    elif previous.kind == CheckIn.Kind.SELF:
        since_what = gettext("your last self check-in on %(on)s") % {"on": on}
    else:
        since_what = gettext("your check-in with %(name)s on %(on)s") % {
            "name": previous.author.get_short_name(),
            "on": on,
        }
    return ngettext(
        "It has been %(days)d day since %(since)s, so days of use can be at most %(days)d.",
        "It has been %(days)d days since %(since)s, so days of use can be at most %(days)d.",
        elapsed,
    ) % {"days": elapsed, "since": since_what}


def _check_rules(checkin: CheckIn) -> None:
    """The rules every check-in keeps, new or corrected."""
    errors = {}
    if checkin.occurred_at > timezone.now():
        errors["occurred_at"] = gettext("A check-in cannot be in the future.")
    if checkin.kind == CheckIn.Kind.CONTACT and not checkin.mentee.consents_to(
        checkin.delivery_method
    ):
        errors["delivery_method"] = gettext(
            "%(name)s has no recorded consent to %(method)s services yet: record it first."
        ) % {"name": checkin.mentee.preferred_name, "method": checkin.get_delivery_method_display()}
    if checkin.substance_use_days is not None:
        since, previous = _last_counted(
            checkin.mentee, before=checkin.occurred_at, exclude_pk=checkin.pk
        )
        elapsed = max((program_date(checkin.occurred_at, checkin.mentee.program) - since).days, 0)
        if checkin.substance_use_days > elapsed:
            errors["substance_use_days"] = _too_many_days_of_use(checkin, elapsed, since, previous)
    if checkin.crisis_flag and not checkin.crisis_notes.strip():
        errors["crisis_notes"] = gettext("Say what happened and what was done.")
    if errors:
        raise ValidationError(errors)


def _set_goals(checkin: CheckIn, goals) -> None:
    goals = list(goals or [])
    if any(goal.plan.mentee_id != checkin.mentee_id for goal in goals):
        raise ValidationError({"goals_discussed": gettext("Choose goals of this mentee's plan.")})
    checkin.goals_discussed.set(goals)


def _already_logged(idempotency_key, *, author: User, mentee: MenteeProfile) -> CheckIn | None:
    """The check-in this key already made, if any: a double click, the back
    button and Save again, or a client's retry gets the first answer back."""
    if not idempotency_key:
        return None
    existing = CheckIn.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and (
        existing.author_id != author.pk or existing.mentee_id != mentee.pk
    ):
        raise ValidationError(gettext("This idempotency key belongs to another check-in."))
    return existing


# What makes a second post the same check-in sent again, beside its author,
# mentee, kind and minute: every value the form carries.
SAME_AGAIN_FIELDS = (
    "occurred_at", "delivery_method", "duration_minutes", "substance_use_days",
    "craving_level", "mood", "notes", "crisis_flag", "crisis_notes", "next_checkin_on",
)  # fmt: skip


def _same_again(*, author: User, mentee: MenteeProfile, kind: str, fields: dict) -> CheckIn | None:
    """The check-in this author already logged with this mentee at this very
    minute with exactly these values. Back after saving shows the form again
    with what was typed (the browser restores it) but a new hidden key: the
    second Save is the same check-in, not another one. A different check-in
    in the same minute (a crisis right after a routine one) differs in its
    values and is saved."""
    if fields.get("occurred_at") is None:
        return None
    same = {name: fields[name] for name in SAME_AGAIN_FIELDS if name in fields}
    return (
        CheckIn.objects.counted()
        .filter(mentee=mentee, author=author, kind=kind, **same)
        .order_by("pk")
        .first()
    )


def _lock_mentee(mentee: MenteeProfile) -> None:
    """Serialise writes about one mentee (check-ins, their keys, the schedule):
    the second of two racing posts waits here, then finds the first's row."""
    MenteeProfile.objects.select_for_update().filter(pk=mentee.pk).first()


def _save_new(checkin: CheckIn) -> None:
    """Insert, turning a key that another mentee's post took meanwhile, or
    any rule of the table, into a plain refusal instead of a database error."""
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as exc:
        if CheckIn.objects.filter(idempotency_key=checkin.idempotency_key).exists():
            raise ValidationError(
                gettext("This idempotency key belongs to another check-in.")
            ) from exc
        raise violation(exc) or exc from exc


def checkin_log(*, author: User, mentee: MenteeProfile, idempotency_key=None, **fields) -> CheckIn:
    """Log a check-in or an attempt. The same idempotency key twice gives the
    first check-in back, so a double click, a resubmitted form or a retry
    creates one row, even when the two posts race."""
    if not can_work_with_mentee(author, mentee):
        raise PermissionDenied(
            gettext("Only the mentee's mentor or the program's coordinators log check-ins.")
        )
    if mentee.status not in OPEN_STATUSES:
        raise ValidationError(
            gettext("%(preferred_name)s's case is closed.")
            % {"preferred_name": mentee.preferred_name}
        )
    kind = fields.pop("kind", CheckIn.Kind.CONTACT)
    goals = fields.pop("goals_discussed", None)
    if kind == CheckIn.Kind.SELF:
        raise ValidationError(gettext("Self check-ins come from the mentee."))
    if kind == CheckIn.Kind.ATTEMPT:
        # An attempt records only how and when.
        fields = {
            k: v for k, v in fields.items() if k in ("occurred_at", "delivery_method", "notes")
        }
    elif kind == CheckIn.Kind.COLLATERAL:
        # About the mentee, with someone else: who, how, when, how long; no
        # substance-use data. (Told anything outside the program? Then
        # referrals.services.collateral_contact_record, which needs a consent.)
        fields = {k: v for k, v in fields.items() if k in COLLATERAL_FIELDS}
        if not fields.get("collateral_name", "").strip() or not fields.get("collateral_role"):
            raise ValidationError(
                {"collateral_name": "Say with whom, and their role, the contact was."}
            )
    elif any(fields.get(k) for k in ("collateral_name", "collateral_role")):
        raise ValidationError("Only a collateral contact names someone else.")
    with transaction.atomic():
        _lock_mentee(mentee)
        existing = _already_logged(idempotency_key, author=author, mentee=mentee) or (
            _same_again(author=author, mentee=mentee, kind=kind, fields=fields)
        )
        if existing is not None:
            return existing
        assignment = _current_assignment(mentee)
        checkin = CheckIn(
            mentee=mentee,
            author=author,
            kind=kind,
            mentor=assignment.mentor if assignment else None,
            idempotency_key=idempotency_key or uuid.uuid4(),
            **fields,
        )
        _check_rules(checkin)
        if author.is_mentor:
            checkin.billable = _billing_allowed(author, mentee)
        checkin.full_clean(exclude=["idempotency_key"])
        _save_new(checkin)
        if kind == CheckIn.Kind.CONTACT:
            _set_goals(checkin, goals)
        if kind == CheckIn.Kind.CONTACT and assignment is not None:
            _advance_schedule(assignment, checkin)
        CheckInDraft.objects.filter(author=author, mentee=mentee).delete()
        if checkin.crisis_flag:
            _write_crisis_alert(checkin)
    return checkin


def _billing_allowed(mentor: User, mentee: MenteeProfile) -> bool:
    """A mentor with no certification in good standing logs check-ins that are
    kept, but not billable; the program's coordinators are told once a day."""
    today = program_today(mentee.program)
    if not billable_reason(holder=mentor, today=today):
        return True
    coordinators = User.objects.coordinators_of(mentee.program).values_list("pk", flat=True)
    notify(
        kind="checkin_not_billable",
        recipients=list(coordinators),
        subject=mentor,
        due_key=today.isoformat(),
    )
    return False


def _write_crisis_alert(checkin: CheckIn) -> None:
    """The coordinators' alert rows are written in the check-in's transaction
    (an outbox): they exist exactly when the check-in does, whatever the
    broker does next. Only then is a worker asked to mail them."""
    crisis_alert(checkin_id=checkin.pk)
    send_soon(cause=f"crisis check-in {checkin.pk}")


def _advance_schedule(assignment: Assignment, checkin: CheckIn) -> None:
    """The schedule follows the latest contact: a back-dated check-in logged
    after a later one leaves the next due date where it is."""
    later = (
        CheckIn.objects.contacts()
        .filter(mentee_id=checkin.mentee_id, occurred_at__gt=checkin.occurred_at)
        .exclude(pk=checkin.pk)
    )
    if later.exists():
        return
    schedule = schedule_ensure(assignment=assignment)
    schedule.next_due_on = checkin.next_checkin_on or (
        program_date(checkin.occurred_at, checkin.mentee.program)
        + timedelta(days=schedule.cadence_days)
    )
    schedule.save(update_fields=["next_due_on", "updated_at"])


@transaction.atomic
def schedule_ensure(*, assignment: Assignment) -> CheckInSchedule:
    """Every active assignment has a schedule: the program's cadence from its start."""
    program = assignment.mentee.program
    schedule, _ = CheckInSchedule.objects.get_or_create(
        assignment=assignment,
        defaults={
            "cadence_days": program.default_checkin_cadence_days,
            "next_due_on": assignment.started_on
            + timedelta(days=program.default_checkin_cadence_days),
        },
    )
    return schedule


def checkin_correct(*, checkin: CheckIn, editor: User, **changes) -> CheckIn:
    """The author corrects a check-in within 7 days; after that it is the record."""
    if checkin.author_id != editor.pk:
        raise PermissionDenied(gettext("Only the author corrects a check-in."))
    if checkin.voided_at is not None:
        raise ValidationError(gettext("This check-in was voided; it cannot be corrected."))
    if timezone.now() > checkin.created_at + CORRECTION_WINDOW:
        raise ValidationError(
            gettext("Check-ins can be corrected for 7 days; this one is now the record.")
        )
    goals = changes.pop("goals_discussed", None)
    with transaction.atomic():
        # Re-read under a lock: two corrections at once apply one after the
        # other, and "was it a crisis already" is the stored answer.
        was_crisis = (
            CheckIn.objects.select_for_update()
            .values_list("crisis_flag", flat=True)
            .get(pk=checkin.pk)
        )
        if goals is not None:
            _set_goals(checkin, goals)
        for field, value in changes.items():
            setattr(checkin, field, value)
        if checkin.kind == CheckIn.Kind.ATTEMPT:
            for field in CLINICAL_FIELDS:
                setattr(checkin, field, None)
            checkin.crisis_flag, checkin.crisis_notes = False, ""
        _check_rules(checkin)
        checkin.full_clean(exclude=["idempotency_key"])
        with plain_violations():
            checkin.save()
        if checkin.crisis_flag and not was_crisis:
            _write_crisis_alert(checkin)
    return checkin


@transaction.atomic
def checkin_void(*, checkin: CheckIn, by: User, reason: str) -> CheckIn:
    """A check-in entered by mistake is voided, never deleted: by its author
    within the correction window, or by the program's coordinators at any
    time, with a reason. It stays in the history, struck through, and counts
    for no schedule, outcome or bill. Voiding twice answers like the first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why this check-in is being voided.")})
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("mentee__program")
        .get(pk=checkin.pk)
    )
    coordinator = can_manage_mentees(by, checkin.mentee.program)
    if not coordinator and checkin.author_id != by.pk:
        raise PermissionDenied(
            gettext("Only its author or the program's coordinators void a check-in.")
        )
    if checkin.voided_at is not None:
        return checkin
    if not coordinator and timezone.now() > checkin.created_at + CORRECTION_WINDOW:
        raise ValidationError(
            gettext(
                "Check-ins can be voided by their author for 7 days; ask a coordinator to void this one."
            )
        )
    checkin.voided_at, checkin.voided_by, checkin.void_reason = timezone.now(), by, reason
    checkin.billable = False
    checkin.save(update_fields=["voided_at", "voided_by", "void_reason", "billable", "updated_at"])
    if checkin.kind == CheckIn.Kind.CONTACT:
        _reschedule_from_last_contact(checkin.mentee)
    return checkin


def _reschedule_from_last_contact(mentee: MenteeProfile) -> None:
    """After a contact is voided the schedule follows the latest one that still
    counts (or the assignment's start, when none is left since then)."""
    assignment = _current_assignment(mentee)
    if assignment is None:
        return
    schedule = schedule_ensure(assignment=assignment)
    latest = CheckIn.objects.contacts().filter(mentee=mentee).order_by("-occurred_at").first()
    program = mentee.program
    if latest is not None and program_date(latest.occurred_at, program) >= assignment.started_on:
        schedule.next_due_on = latest.next_checkin_on or (
            program_date(latest.occurred_at, program) + timedelta(days=schedule.cadence_days)
        )
    else:
        schedule.next_due_on = assignment.started_on + timedelta(days=schedule.cadence_days)
    schedule.save(update_fields=["next_due_on", "updated_at"])


def self_checkin_submit(
    *,
    user: User,
    mood: int,
    craving_level: int,
    substance_use_days: int,
    message_to_mentor: str = "",
    idempotency_key=None,
) -> CheckIn:
    """A mentee's own short check-in; their mentor sees it in the app."""
    mentee = MenteeProfile.objects.filter(user=user).select_related("program").first()
    if mentee is None:
        raise PermissionDenied(gettext("Only mentees send self check-ins."))
    with transaction.atomic():
        _lock_mentee(mentee)
        existing = _already_logged(idempotency_key, author=user, mentee=mentee)
        if existing is not None:
            return existing
        assignment = _current_assignment(mentee)
        checkin = CheckIn(
            mentee=mentee,
            author=user,
            kind=CheckIn.Kind.SELF,
            occurred_at=timezone.now(),
            mentor=assignment.mentor if assignment else None,
            mood=mood,
            craving_level=craving_level,
            substance_use_days=substance_use_days,
            message_to_mentor=message_to_mentor,
            idempotency_key=idempotency_key or uuid.uuid4(),
        )
        _check_rules(checkin)
        checkin.full_clean(exclude=["idempotency_key"])
        _save_new(checkin)
        if assignment is not None:
            notify(
                kind="self_checkin",
                recipients=[assignment.mentor_id],
                subject=checkin,
                due_key="sent",
                channel=Notification.Channel.IN_APP,
            )
    return checkin


@transaction.atomic
def crisis_mark_handled(*, checkin: CheckIn, handled_by: User, note: str) -> CheckIn:
    # Two coordinators at once: the second sees the first's answer, not an open crisis.
    checkin.refresh_from_db(from_queryset=CheckIn.objects.select_for_update(of=("self",)))
    if not can_manage_mentees(handled_by, checkin.mentee.program):
        raise PermissionDenied(gettext("The program's coordinators mark crises as handled."))
    if not checkin.is_open_crisis:
        raise ValidationError(gettext("This crisis is not open."))
    if not note.strip():
        raise ValidationError({"note": gettext("Say how the crisis was handled.")})
    checkin.crisis_handled_at = timezone.now()
    checkin.crisis_handled_by = handled_by
    checkin.crisis_handled_note = note.strip()
    checkin.save(update_fields=["crisis_handled_at", "crisis_handled_by", "crisis_handled_note"])
    return checkin


@transaction.atomic
def crisis_alert(*, checkin_id: int) -> int:
    """Tell every coordinator of the program, once, that a crisis was flagged."""
    checkin = (
        CheckIn.objects.select_related("mentee").filter(pk=checkin_id, crisis_flag=True).first()
    )
    if checkin is None:
        return 0
    coordinators = User.objects.coordinators_of(checkin.mentee.program).values_list("pk", flat=True)
    return notify(
        kind="crisis_flag", recipients=list(coordinators), subject=checkin, due_key=CRISIS_DUE_KEY
    )


def draft_save(*, author: User, mentee: MenteeProfile, data: dict) -> CheckInDraft | None:
    """Keep what is typed so far. An autosave that arrives after its form was
    submitted (its key is used) keeps nothing: the check-in is the record, and
    the draft must not come back offering that key. Returns None then."""
    if not can_work_with_mentee(author, mentee):
        raise PermissionDenied
    with transaction.atomic():
        _lock_mentee(mentee)
        if key_is_used(data.get("idempotency_key")):
            CheckInDraft.objects.filter(author=author, mentee=mentee).delete()
            return None
        draft, _ = CheckInDraft.objects.update_or_create(
            author=author, mentee=mentee, defaults={"data": data}
        )
    return draft


@transaction.atomic
def draft_discard(*, author: User, mentee: MenteeProfile) -> None:
    CheckInDraft.objects.filter(author=author, mentee=mentee).delete()


@transaction.atomic
@submitted_once
def assessment_record(
    *, mentee: MenteeProfile, entered_by: User, scores: list[int], assessed_on: date | None = None
) -> RecoveryCapitalAssessment:
    """Record a BARC-10: ten scores from 1 to 6."""
    if not can_work_with_mentee(entered_by, mentee):
        raise PermissionDenied(gettext("The mentee's mentor or coordinators record assessments."))
    today = program_today(mentee.program)
    assessed_on = assessed_on or today
    if len(scores) != len(ITEM_FIELDS) or any(not 1 <= s <= 6 for s in scores):
        raise ValidationError(gettext("Score each of the ten statements from 1 to 6."))
    if assessed_on > today:
        raise ValidationError({"assessed_on": gettext("An assessment cannot be in the future.")})
    return RecoveryCapitalAssessment.objects.create(
        mentee=mentee,
        entered_by=entered_by,
        assessed_on=assessed_on,
        **dict(zip(ITEM_FIELDS, scores, strict=True)),
    )
