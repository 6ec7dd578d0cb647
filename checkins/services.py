"""Check-ins, drafts, schedules, crisis handling and recovery capital: the rules."""

import operator
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, FilteredRelation, Q, Value, When
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from accounts.models import User
from certification.selectors import billable_reason, in_good_standing
from core import drafts, voiding
from core.constraints import constraint_name, violation
from core.dates import program_date, program_today
from core.models import FormDraft
from core.once import submitted_once
from mentorship.choices import CONSENT_NEEDED, OPEN_STATUSES
from mentorship.models import Assignment, MenteeProfile
from mentorship.permissions import can_manage_mentees, can_work_with_mentee
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_soon
from recovery_plans.models import Goal

from .models import (
    ATTENDED,
    CONTACT_KINDS,
    CORRECTION_WINDOW,
    CRISIS_DUE_KEY,
    Attendance,
    CheckIn,
    CheckInSchedule,
    GroupAttendance,
    GroupSession,
    RecoveryCapitalAssessment,
)
from .recovery_capital import ITEM_FIELDS
from .selectors import draft_form, key_is_used

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


# Checked by the service itself: who wrote it, about whom, and its key.
_NOT_FIELD_CHECKED = [
    "mentee", "mentor", "author", "crisis_handled_by", "voided_by", "idempotency_key",
]  # fmt: skip


def _check_rules(checkin: CheckIn) -> None:
    """Every rule a check-in keeps, new or corrected, in one pass: its fields
    (choices, lengths), the table's constraints (decided in Python, see
    CheckIn.validate_constraints) and the service's own rules. No query,
    except the previous check-in when days of use are given."""
    try:
        checkin.full_clean(exclude=_NOT_FIELD_CHECKED, validate_unique=False)
    except ValidationError as exc:
        errors = {field: messages[0] for field, messages in exc.message_dict.items()}
    else:
        errors = {}
    if "occurred_at" not in errors and checkin.occurred_at > timezone.now():
        errors["occurred_at"] = gettext("A check-in cannot be in the future.")
    if (
        "delivery_method" not in errors
        and checkin.kind in CONTACT_KINDS
        and not checkin.mentee.consents_to(checkin.delivery_method)
    ):
        errors["delivery_method"] = gettext(
            "%(name)s has no recorded consent to %(method)s services yet: record it first."
        ) % {"name": checkin.mentee.preferred_name, "method": checkin.get_delivery_method_display()}
    if checkin.substance_use_days is not None and not errors.keys() & {
        "substance_use_days",
        "occurred_at",
    }:
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


def _refusal(exc: IntegrityError, idempotency_key=None) -> ValidationError | None:
    """A write the database refused, as the plain sentence a person reads:
    a constraint's own message, or a key another mentee's post took
    meanwhile. None when it is neither (the error is then not ours to word).
    Called after the transaction rolled back, so it may query."""
    if (
        idempotency_key
        and "idempotency_key" in constraint_name(exc)
        and CheckIn.objects.filter(idempotency_key=idempotency_key).exists()
    ):
        return ValidationError(gettext("This idempotency key belongs to another check-in."))
    return violation(exc)


def _check_goals(mentee: MenteeProfile, goals: list[Goal]) -> None:
    """Goals come from the mentee's own plan (one query, only when some are given)."""
    if (
        goals
        and Goal.objects.filter(pk__in=[goal.pk for goal in goals])
        .exclude(plan__mentee_id=mentee.pk)
        .exists()
    ):
        raise ValidationError({"goals_discussed": gettext("Choose goals of this mentee's plan.")})


# What makes a second post the same check-in sent again, beside its author,
# mentee, kind and minute: every value the form carries.
SAME_AGAIN_FIELDS = (
    "occurred_at", "delivery_method", "duration_minutes", "substance_use_days",
    "craving_level", "mood", "notes", "crisis_flag", "crisis_notes", "next_checkin_on",
)  # fmt: skip


def _first_answer(
    idempotency_key, *, author: User, mentee: MenteeProfile, kind: str, fields: dict | None
) -> CheckIn | None:
    """The check-in this post already made, if any, in one query:

    - by its key: a double click, the back button and Save again, or a
      client's retry gets the first answer back (a key of someone else's
      check-in is refused);
    - by being the same check-in sent again (`fields` given): Back after
      saving shows the form again with what was typed (the browser restores
      it) but a new hidden key, so the second Save finds the check-in this
      author logged with this mentee at this very minute with exactly these
      values. A different check-in in the same minute (a crisis right after
      a routine one) differs in its values and is saved."""
    wanted = []
    if idempotency_key:
        wanted.append(Q(idempotency_key=idempotency_key))
    if fields is not None and fields.get("occurred_at") is not None:
        same = {name: fields[name] for name in SAME_AGAIN_FIELDS if name in fields}
        wanted.append(Q(mentee=mentee, author=author, kind=kind, voided_at__isnull=True, **same))
    if not wanted:
        return None
    by_key_first = (
        Case(When(idempotency_key=idempotency_key, then=Value(0)), default=Value(1))
        if idempotency_key
        else Value(1)
    )
    found = (
        CheckIn.objects.filter(reduce(operator.or_, wanted)).order_by(by_key_first, "pk").first()
    )
    if found is not None and idempotency_key and found.idempotency_key == idempotency_key:
        if found.author_id != author.pk or found.mentee_id != mentee.pk:
            raise ValidationError(gettext("This idempotency key belongs to another check-in."))
    return found


def _lock_mentee(mentee: MenteeProfile) -> None:
    """Serialise writes about one mentee (check-ins, their keys, the schedule):
    the second of two racing posts waits here, then finds the first's row."""
    MenteeProfile.objects.select_for_update().filter(pk=mentee.pk).first()


@dataclass(frozen=True)
class _Locked:
    """A mentee's row, locked for a check-in, with what the check-in needs:
    its status and last contact, the active assignment and its schedule, and
    whether the author has a draft open, and whether the author has a
    certification in good standing on the program's day (one query,
    _lock_for_checkin)."""

    status: str
    last_contact_at: datetime | None
    assignment_id: int | None
    mentor_id: int | None
    started_on: date | None
    schedule_id: int | None
    cadence_days: int | None
    has_draft: bool
    author_in_good_standing: bool


def _lock_for_checkin(mentee: MenteeProfile, author: User) -> _Locked:
    row = (
        MenteeProfile.objects.select_for_update(of=("self",))
        .annotate(
            active=FilteredRelation("assignments", condition=Q(assignments__ended_at__isnull=True)),
            has_draft=drafts.is_open(author=author, form=draft_form(mentee)),
            author_in_good_standing=(
                in_good_standing(author.pk, program_today(mentee.program))
                if author.is_mentor
                else Value(True)
            ),
        )
        .filter(pk=mentee.pk)
        .values_list(
            "status",
            "last_contact_at",
            "active__id",
            "active__mentor_id",
            "active__started_on",
            "active__schedule__id",
            "active__schedule__cadence_days",
            "has_draft",
            "author_in_good_standing",
        )
        .get()
    )
    return _Locked(*row)


def next_due_on(
    *,
    started_on: date,
    cadence_days: int,
    last_contact_on: date | None,
    next_checkin_on: date | None,
) -> date:
    """When an assignment's next check-in is due: the latest contact on or
    after the assignment's start sets it (the next check-in date it gave, or
    its day plus the cadence); without one, the start plus the cadence."""
    if last_contact_on is not None and last_contact_on >= started_on:
        return next_checkin_on or last_contact_on + timedelta(days=cadence_days)
    return started_on + timedelta(days=cadence_days)


def checkin_log(*, author: User, mentee: MenteeProfile, idempotency_key=None, **fields) -> CheckIn:
    """Log a check-in or an attempt. The same idempotency key twice gives the
    first check-in back, so a double click, a resubmitted form or a retry
    creates one row, even when the two posts race."""
    kind = fields.pop("kind", CheckIn.Kind.CONTACT)
    goals = list(fields.pop("goals_discussed", None) or [])
    if kind == CheckIn.Kind.SELF:
        raise ValidationError(gettext("Self check-ins come from the mentee."))
    if kind == CheckIn.Kind.GROUP:
        raise ValidationError(gettext("Group check-ins come from logging the group session."))
    if kind == CheckIn.Kind.ATTEMPT:
        # An attempt records only how and when.
        fields = {
            k: v for k, v in fields.items() if k in ("occurred_at", "delivery_method", "notes")
        }
        goals = []
    elif kind == CheckIn.Kind.COLLATERAL:
        # About the mentee, with someone else: who, how, when, how long; no
        # substance-use data. (Told anything outside the program? Then
        # referrals.services.collateral_contact_record, which needs a consent.)
        fields = {k: v for k, v in fields.items() if k in COLLATERAL_FIELDS}
        if not fields.get("collateral_name", "").strip() or not fields.get("collateral_role"):
            raise ValidationError(
                {"collateral_name": gettext("Say with whom, and their role, the contact was.")}
            )
        goals = []
    elif any(fields.get(k) for k in ("collateral_name", "collateral_role")):
        raise ValidationError(gettext("Only a collateral contact names someone else."))
    try:
        with transaction.atomic():
            locked = _lock_for_checkin(mentee, author)
            is_mentor = author.is_mentor and locked.mentor_id == author.pk
            if not (is_mentor or can_manage_mentees(author, mentee.program)):
                raise PermissionDenied(
                    gettext("Only the mentee's mentor or the program's coordinators log check-ins.")
                )
            if locked.status not in OPEN_STATUSES:
                raise ValidationError(
                    gettext("%(preferred_name)s's case is closed.")
                    % {"preferred_name": mentee.preferred_name}
                )
            existing = _first_answer(
                idempotency_key, author=author, mentee=mentee, kind=kind, fields=fields
            )
            if existing is not None:
                return existing
            checkin = CheckIn(
                mentee=mentee,
                author=author,
                kind=kind,
                mentor_id=locked.mentor_id,
                idempotency_key=idempotency_key or uuid.uuid4(),
                **fields,
            )
            _check_rules(checkin)
            _check_goals(mentee, goals)
            if author.is_mentor:
                checkin.billable = locked.author_in_good_standing or _billing_allowed(
                    author, mentee
                )
            checkin.save()
            if goals:
                checkin.goals_discussed.add(*goals)
            writes = (
                _contact_logged(mentee, checkin, locked) if kind == CheckIn.Kind.CONTACT else []
            )
            if locked.has_draft:
                writes.append(_DraftDeleted(author_id=author.pk, form=draft_form(mentee)))
            _write_together(writes)
            if checkin.crisis_flag:
                _write_crisis_alert(checkin)
    except IntegrityError as exc:
        refusal = _refusal(exc, idempotency_key)
        if refusal is None:
            raise
        raise refusal from exc
    return checkin


@dataclass(frozen=True)
class _LastContact:
    mentee_id: int
    at: datetime

    table = MenteeProfile._meta.db_table
    sql = f"UPDATE {table} SET last_contact_at = %s WHERE id = %s"  # noqa: S608

    def params(self) -> list:
        return [self.at, self.mentee_id]

    def run(self) -> None:
        MenteeProfile.objects.filter(pk=self.mentee_id).update(last_contact_at=self.at)


@dataclass(frozen=True)
class _NextDue:
    schedule_id: int
    on: date

    table = CheckInSchedule._meta.db_table
    sql = f"UPDATE {table} SET next_due_on = %s, updated_at = %s WHERE id = %s"  # noqa: S608

    def params(self) -> list:
        return [self.on, timezone.now(), self.schedule_id]

    def run(self) -> None:
        CheckInSchedule.objects.filter(pk=self.schedule_id).update(
            next_due_on=self.on, updated_at=timezone.now()
        )


@dataclass(frozen=True)
class _DraftDeleted:
    """The author's draft of the check-in form (core.drafts), gone with the
    check-in it became; the mentee's lock queues every write of it."""

    author_id: int
    form: str

    table = FormDraft._meta.db_table
    sql = f"DELETE FROM {table} WHERE author_id = %s AND form = %s"  # noqa: S608

    def params(self) -> list:
        return [self.author_id, self.form]

    def run(self) -> None:
        FormDraft.objects.filter(author_id=self.author_id, form=self.form).delete()


def _write_together(writes: list) -> None:
    """What a check-in moves beside its own row (the mentee's last contact,
    the schedule's next due date, the author's draft): one statement on
    PostgreSQL (each write a CTE of it; the change triggers fire on each
    row as usual), one each elsewhere."""
    if len(writes) > 1 and connection.vendor == "postgresql":
        ctes = ", ".join(f"w{i} AS ({write.sql})" for i, write in enumerate(writes))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {ctes} SELECT 1",  # noqa: S608 - the statements are constants
                [param for write in writes for param in write.params()],
            )
        return
    for write in writes:
        write.run()


def _contact_logged(mentee: MenteeProfile, checkin: CheckIn, locked: _Locked) -> list:
    """A new contact that is the latest (ties: the later logged) is the
    mentee's last contact and moves the schedule; a back-dated one logged
    after a later one leaves both where they are. The mentee is locked, so
    the stored last contact is the one to compare with. The writes are
    returned, for _write_together."""
    if locked.last_contact_at is not None and checkin.occurred_at < locked.last_contact_at:
        return []
    writes: list = [_LastContact(mentee_id=mentee.pk, at=checkin.occurred_at)]
    mentee.last_contact_at = checkin.occurred_at
    if locked.assignment_id is None:
        return writes
    if locked.schedule_id is None:
        _write_together(writes)
        assignment = Assignment.objects.select_related("mentee__program").get(
            pk=locked.assignment_id
        )
        schedule_ensure(assignment=assignment)
        return []
    assert locked.started_on is not None and locked.cadence_days is not None
    due = next_due_on(
        started_on=locked.started_on,
        cadence_days=locked.cadence_days,
        last_contact_on=program_date(checkin.occurred_at, mentee.program),
        next_checkin_on=checkin.next_checkin_on,
    )
    return [*writes, _NextDue(schedule_id=locked.schedule_id, on=due)]


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


def _latest_contact(mentee: MenteeProfile) -> CheckIn | None:
    """The contact that is the mentee's last (ties: the later logged)."""
    return (
        CheckIn.objects.contacts()
        .filter(mentee=mentee)
        .order_by("-occurred_at", "-pk")
        .only("occurred_at", "next_checkin_on")
        .first()
    )


def _due_for(schedule_or_cadence: int, assignment: Assignment, latest: CheckIn | None) -> date:
    program = assignment.mentee.program
    return next_due_on(
        started_on=assignment.started_on,
        cadence_days=schedule_or_cadence,
        last_contact_on=program_date(latest.occurred_at, program) if latest else None,
        next_checkin_on=latest.next_checkin_on if latest else None,
    )


@transaction.atomic
def schedule_ensure(*, assignment: Assignment) -> CheckInSchedule:
    """Every active assignment has a schedule: the program's cadence from its
    start (or from a contact already made on its first day)."""
    mentee = assignment.mentee
    cadence = mentee.program.default_checkin_cadence_days
    contacted_since_start = mentee.last_contact_at is not None and (
        program_date(mentee.last_contact_at, mentee.program) >= assignment.started_on
    )
    latest = _latest_contact(mentee) if contacted_since_start else None
    schedule, _ = CheckInSchedule.objects.get_or_create(
        assignment=assignment,
        defaults={"cadence_days": cadence, "next_due_on": _due_for(cadence, assignment, latest)},
    )
    return schedule


@transaction.atomic
def contact_dates_refresh(*, mentee: MenteeProfile) -> None:
    """Set the mentee's last contact and their active schedule's next due
    date from the check-ins as they are now. checkin_log keeps both as it
    goes; a correction or a void calls this, and so does anything that writes
    check-ins around the services (the demo data, the admin). The mentee is
    locked first, as checkin_log locks it: a contact logged meanwhile is
    committed before the latest one is read here."""
    _lock_mentee(mentee)
    latest = _latest_contact(mentee)
    last_contact_at = latest.occurred_at if latest else None
    MenteeProfile.objects.filter(pk=mentee.pk).update(last_contact_at=last_contact_at)
    mentee.last_contact_at = last_contact_at
    assignment = (
        Assignment.objects.filter(mentee=mentee, ended_at__isnull=True)
        .select_related("mentee__program", "schedule")
        .first()
    )
    if assignment is None:
        return
    schedule = getattr(assignment, "schedule", None) or schedule_ensure(assignment=assignment)
    due = _due_for(schedule.cadence_days, assignment, latest)
    if schedule.next_due_on != due:
        schedule.next_due_on = due
        schedule.save(update_fields=["next_due_on", "updated_at"])


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
    try:
        with transaction.atomic():
            # Re-read under a lock: two corrections at once apply one after the
            # other, and "was it a crisis already" is the stored answer.
            was_crisis = (
                CheckIn.objects.select_for_update()
                .values_list("crisis_flag", flat=True)
                .get(pk=checkin.pk)
            )
            if goals is not None:
                goals = list(goals)
                _check_goals(checkin.mentee, goals)
                checkin.goals_discussed.set(goals)
            for field, value in changes.items():
                setattr(checkin, field, value)
            if checkin.kind == CheckIn.Kind.ATTEMPT:
                for field in CLINICAL_FIELDS:
                    setattr(checkin, field, None)
                checkin.crisis_flag, checkin.crisis_notes = False, ""
            _check_rules(checkin)
            checkin.save()
            if checkin.kind in CONTACT_KINDS:
                # Its time or its next date may have moved: the last contact
                # and the schedule follow.
                contact_dates_refresh(mentee=checkin.mentee)
            if checkin.crisis_flag and not was_crisis:
                _write_crisis_alert(checkin)
    except IntegrityError as exc:
        refusal = _refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc
    return checkin


CHECKIN_VOID_WORDS = voiding.VoidWords(
    not_allowed=gettext_lazy("Only its author or the program's coordinators void a check-in."),
    no_reason=gettext_lazy("Say why this check-in is being voided."),
    too_late=gettext_lazy(
        "Check-ins can be voided by their author for 7 days; ask a coordinator to void this one."
    ),
)


@transaction.atomic
def checkin_void(*, checkin: CheckIn, by: User, reason: str) -> CheckIn:
    """A check-in entered by mistake is voided, never deleted: by its author
    within the correction window, or by the program's coordinators at any
    time, with a reason. It stays in the history, struck through, and counts
    for no schedule, outcome or bill. Voiding twice answers like the first (core.voiding)."""
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("mentee__program")
        .get(pk=checkin.pk)
    )
    billable = checkin.billable
    checkin.billable = False
    voided = voiding.void(
        checkin,
        by=by,
        reason=reason,
        decides=can_manage_mentees(by, checkin.mentee.program),
        owns=checkin.author_id == by.pk,
        window=CORRECTION_WINDOW,
        words=CHECKIN_VOID_WORDS,
        also_saved=("billable", "updated_at"),
    )
    if not voided:
        checkin.billable = billable
        return checkin
    if checkin.kind in CONTACT_KINDS:
        # The last contact and the schedule go back to the latest one that
        # still counts (or the assignment's start, when none is left since).
        contact_dates_refresh(mentee=checkin.mentee)
    return checkin


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
    try:
        with transaction.atomic():
            locked = _lock_for_checkin(mentee, user)
            existing = _first_answer(
                idempotency_key, author=user, mentee=mentee, kind=CheckIn.Kind.SELF, fields=None
            )
            if existing is not None:
                return existing
            checkin = CheckIn(
                mentee=mentee,
                author=user,
                kind=CheckIn.Kind.SELF,
                occurred_at=timezone.now(),
                mentor_id=locked.mentor_id,
                mood=mood,
                craving_level=craving_level,
                substance_use_days=substance_use_days,
                message_to_mentor=message_to_mentor,
                idempotency_key=idempotency_key or uuid.uuid4(),
            )
            _check_rules(checkin)
            checkin.save()
            if locked.mentor_id is not None:
                notify(
                    kind="self_checkin",
                    recipients=[locked.mentor_id],
                    subject=checkin,
                    due_key="sent",
                    channel=Notification.Channel.IN_APP,
                )
    except IntegrityError as exc:
        refusal = _refusal(exc, idempotency_key)
        if refusal is None:
            raise
        raise refusal from exc
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


def draft_save(*, author: User, mentee: MenteeProfile, data: dict) -> FormDraft | None:
    """Keep what is typed so far (core.drafts; the form's idempotency key is
    its page's token). An autosave that arrives after its form was submitted
    (its key is used) keeps nothing: the check-in is the record, and the
    draft must not come back offering that key. Returns None then."""
    if not can_work_with_mentee(author, mentee):
        raise PermissionDenied
    form = draft_form(mentee)
    with transaction.atomic():
        _lock_mentee(mentee)
        if key_is_used(data.get("idempotency_key")):
            drafts.drop(author=author, form=form)
            return None
        return drafts.draft_save(author=author, form=form, page=_page_of(data), data=data)


def _page_of(data: dict) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("idempotency_key")))
    except ValueError:
        return uuid.uuid4()


@transaction.atomic
def draft_discard(*, author: User, mentee: MenteeProfile) -> None:
    drafts.draft_discard(author=author, form=draft_form(mentee))


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


@dataclass(frozen=True)
class NewAttendee:
    mentee: MenteeProfile
    status: str = Attendance.PRESENT
    note: str = ""


@dataclass(frozen=True)
class _LockedAttendee:
    pk: int
    program_id: int
    status: str
    last_contact_at: datetime | None
    remote_consent: str
    preferred_name: str
    assignment_id: int | None
    mentor_id: int | None
    started_on: date | None
    schedule_id: int | None
    cadence_days: int | None


def _lock_attendees(ids: list[int]) -> dict[int, _LockedAttendee]:
    """The attendees' rows, locked in id order (two groups naming the same
    mentees queue, never deadlock), with what their check-ins need: one query."""
    rows = (
        MenteeProfile.objects.select_for_update(of=("self",))
        .annotate(
            active=FilteredRelation("assignments", condition=Q(assignments__ended_at__isnull=True))
        )
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "program_id",
            "status",
            "last_contact_at",
            "remote_consent",
            "preferred_name",
            "active__id",
            "active__mentor_id",
            "active__started_on",
            "active__schedule__id",
            "active__schedule__cadence_days",
        )  # fmt: skip
    )
    return {row[0]: _LockedAttendee(*row) for row in rows}


def _may_log_group_for(by: User, row: _LockedAttendee) -> bool:
    """A mentor logs a group for their own current mentees; a coordinator for
    their program's."""
    if by.is_coordinator:
        return row.program_id == by.program_id
    return by.is_mentor and row.mentor_id == by.pk


def _check_group(by: User, fields: dict, attendees: list[NewAttendee]) -> None:
    """The rules that need no query: the form's words, one line per mentee."""
    errors: dict[str, str] = {}
    if not (by.is_mentor or by.is_coordinator) or not by.program_id:
        raise PermissionDenied(gettext("Only mentors and coordinators log group sessions."))
    if not attendees:
        errors["attendees"] = gettext("List who was in the group.")
    elif len({a.mentee.pk for a in attendees}) != len(attendees):
        errors["attendees"] = gettext("List each mentee once.")
    elif any(a.status not in Attendance.values for a in attendees):
        errors["attendees"] = gettext("Choose present, left early or absent.")
    elif not any(a.status in ATTENDED for a in attendees):
        errors["attendees"] = gettext("Mark at least one mentee present.")
    minutes = fields.get("duration_minutes")
    if minutes is None or not 1 <= minutes <= 600:
        errors["duration_minutes"] = gettext("Minutes are from 1 to 600.")
    if not (fields.get("topic") or "").strip():
        errors["topic"] = gettext("Say the group's topic.")
    occurred_at = fields.get("occurred_at")
    if occurred_at is not None and occurred_at > timezone.now():
        errors["occurred_at"] = gettext("A group session cannot be in the future.")
    co = fields.get("co_facilitator")
    if co is not None and (
        co.pk == by.pk or co.program_id != by.program_id or not (co.is_mentor or co.is_coordinator)
    ):
        errors["co_facilitator"] = gettext(
            "The co-facilitator is another mentor or coordinator of your program."
        )
    if errors:
        raise ValidationError(errors)


@submitted_once
def group_session_log(
    *, by: User, attendees: list[NewAttendee], idempotency_key=None, **fields
) -> GroupSession:
    """Log a peer support group once for many mentees, in one transaction:
    the group, each attendee's attendance and, for each who came (present or
    left early), a check-in of kind group that counts as contact (the last
    contact and the schedule move as for a check-in). The group's notes stay
    on the group; an attendee's short note goes on their check-in. The same
    idempotency key twice gives the first group back. The queries do not grow
    with the number of attendees."""
    _check_group(by, fields, attendees)
    try:
        with transaction.atomic():
            if idempotency_key:
                first = GroupSession.objects.filter(idempotency_key=idempotency_key).first()
                if first is not None:
                    if first.created_by_id != by.pk:
                        raise ValidationError(
                            gettext("This idempotency key belongs to another group session.")
                        )
                    return first
            locked = _lock_attendees([a.mentee.pk for a in attendees])
            group = GroupSession(
                program=by.program,
                facilitator=by,
                created_by=by,
                idempotency_key=idempotency_key or uuid.uuid4(),
                **fields,
            )
            try:
                # The table's constraints are decided in _check_group (no query).
                group.full_clean(
                    exclude=["program", "facilitator", "created_by", "co_facilitator",
                             "idempotency_key", "topic", "duration_minutes"],
                    validate_unique=False, validate_constraints=False,
                )  # fmt: skip
            except ValidationError as exc:
                raise ValidationError(
                    {field: messages[0] for field, messages in exc.message_dict.items()}
                ) from exc
            _check_attendees(by, group, attendees, locked)
            group.save()
            billable = not by.is_mentor or not billable_reason(
                holder=by, today=program_today(by.program)
            )
            checkins = {
                a.mentee.pk: CheckIn(
                    mentee_id=a.mentee.pk,
                    mentor_id=locked[a.mentee.pk].mentor_id,
                    author=by,
                    kind=CheckIn.Kind.GROUP,
                    group_session=group,
                    occurred_at=group.occurred_at,
                    delivery_method=group.delivery_method,
                    duration_minutes=group.duration_minutes,
                    notes=a.note,
                    billable=billable,
                )
                for a in attendees
                if a.status in ATTENDED
            }
            for checkin in checkins.values():
                checkin.validate_constraints()
            CheckIn.objects.bulk_create(checkins.values())
            GroupAttendance.objects.bulk_create(
                GroupAttendance(
                    group=group,
                    mentee_id=a.mentee.pk,
                    status=a.status,
                    note=a.note,
                    checkin=checkins.get(a.mentee.pk),
                )
                for a in attendees
            )
            _group_contacts_logged(group, [locked[pk] for pk in checkins])
    except IntegrityError as exc:
        refusal = violation(exc)
        if refusal is None:
            raise
        raise refusal from exc
    return group


def _check_attendees(
    by: User, group: GroupSession, attendees: list[NewAttendee], locked: dict
) -> None:
    refused = [a for a in attendees if a.mentee.pk not in locked
               or not _may_log_group_for(by, locked[a.mentee.pk])]  # fmt: skip
    if refused:
        raise ValidationError({"attendees": gettext("Choose mentees from your own caseload.")})
    for a in attendees:
        row = locked[a.mentee.pk]
        if row.status not in OPEN_STATUSES:
            raise ValidationError(
                {"attendees": gettext("%(preferred_name)s's case is closed.")
                 % {"preferred_name": row.preferred_name}}
            )  # fmt: skip
        if len(a.note) > 500:
            raise ValidationError(
                {"attendees": gettext("An individual note is at most 500 characters.")}
            )
        needed = CONSENT_NEEDED.get(group.delivery_method)
        if a.status in ATTENDED and needed is not None and row.remote_consent not in needed:
            raise ValidationError(
                {"attendees": gettext(
                    "%(name)s has no recorded consent to %(method)s services yet: record it "
                    "first, or mark them absent."
                ) % {"name": row.preferred_name, "method": group.get_delivery_method_display()}}
            )  # fmt: skip


def _group_contacts_logged(group: GroupSession, rows: list[_LockedAttendee]) -> None:
    """The attendees for whom the group is the latest contact: their last
    contact and schedules move (one update each, whatever their number)."""
    moved = [r for r in rows if r.last_contact_at is None or group.occurred_at >= r.last_contact_at]
    if not moved:
        return
    MenteeProfile.objects.filter(pk__in=[r.pk for r in moved]).update(
        last_contact_at=group.occurred_at
    )
    day = program_date(group.occurred_at, group.program)
    schedules = []
    for r in moved:
        if r.assignment_id is None:
            continue
        if r.schedule_id is None:
            # Every active assignment has one from its first day; an old one
            # without gets it here (rare: not counted in the budget).
            assignment = Assignment.objects.select_related("mentee__program").get(
                pk=r.assignment_id
            )
            schedule_ensure(assignment=assignment)
            continue
        assert r.started_on is not None and r.cadence_days is not None
        schedules.append(
            CheckInSchedule(
                pk=r.schedule_id,
                next_due_on=next_due_on(
                    started_on=r.started_on,
                    cadence_days=r.cadence_days,
                    last_contact_on=day,
                    next_checkin_on=None,
                ),  # fmt: skip
                updated_at=timezone.now(),
            )
        )
    if schedules:
        CheckInSchedule.objects.bulk_update(schedules, ["next_due_on", "updated_at"])
