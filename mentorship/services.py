"""Writes with rules: intake, status transitions, assignments, mentee logins."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

import audit
from accounts.models import Program, Role, User
from accounts.services import invitation_create
from audit.models import Action
from core import approvals
from core.dates import add_months, program_today
from core.once import submitted_once
from core.stale import refuse_if_changed
from notifications.services import notify
from notifications.tasks import send_soon

from .choices import ALLOWED_TRANSITIONS, OPEN_STATUSES, AssignmentEndReason, MenteeStatus
from .eligibility import ineligibility_reasons, mentors_with_active_or_in_progress_certification
from .models import (
    Assignment,
    BreakGlassGrant,
    MenteeProfile,
    MenteeStatusChange,
    MentorProfile,
)
from .permissions import (
    GATED_STATUSES,
    can_manage_mentees,
    can_request_status,
    can_work_with_mentee,
    is_current_mentor,
)

YOUNGEST_MENTEE_AGE, OLDEST_MENTEE_AGE = 12, 110


def _check_mentee_dates(mentee: MenteeProfile, today: date) -> None:
    """Dates a person can have: none in the future, an age from 12 to 110."""
    errors = {}
    birth = mentee.date_of_birth
    if birth is not None:
        if birth > today:
            errors["date_of_birth"] = "A date of birth cannot be in the future."
        elif not (
            add_months(today, -12 * OLDEST_MENTEE_AGE - 12)
            < birth
            <= add_months(today, -12 * YOUNGEST_MENTEE_AGE)
        ):
            errors["date_of_birth"] = (
                f"Mentees are {YOUNGEST_MENTEE_AGE} to {OLDEST_MENTEE_AGE} years old: "
                "check the date of birth."
            )
    if mentee.intake_date and mentee.intake_date > today:
        errors["intake_date"] = "The intake date cannot be in the future."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@submitted_once
def mentee_intake(*, program: Program, created_by: User, **fields) -> MenteeProfile:
    """Record a referred person. No login yet: mentee_invite links one later."""
    if not can_manage_mentees(created_by, program):
        raise PermissionDenied(gettext("Only the program's coordinators do intake."))
    today = program_today(program)
    fields["intake_date"] = fields.get("intake_date") or today
    mentee = MenteeProfile(
        program=program, created_by=created_by, status_changed_on=today, **fields
    )
    mentee.status = MenteeStatus.REFERRED
    _check_mentee_dates(mentee, today)
    mentee.full_clean()
    mentee.save()
    return mentee


@transaction.atomic
def mentee_update(
    *, mentee: MenteeProfile, changed_by: User, seen: dict | None = None, **fields
) -> MenteeProfile:
    """Correct a mentee's record. Status, program and assignments change only
    through their own services, so they are not fields here. `seen`: what the
    editor's form showed (core.stale); refused if the record changed since."""
    mentee.refresh_from_db(from_queryset=MenteeProfile.objects.select_for_update(of=("self",)))
    if not can_manage_mentees(changed_by, mentee.program):
        raise PermissionDenied(gettext("Only the program's coordinators edit a mentee's record."))
    refuse_if_changed(mentee, seen)
    for field in ("status", "program", "program_id", "user", "user_id", "created_by"):
        if field in fields:
            raise ValidationError({field: gettext("This is not changed by editing the record.")})
    for field, value in fields.items():
        setattr(mentee, field, value)
    _check_mentee_dates(mentee, program_today(mentee.program))
    mentee.full_clean()
    mentee.save()
    return mentee


def mentee_transition(
    *,
    mentee: MenteeProfile,
    to_status: str,
    changed_by: User,
    reason: str = "",
    note: str = "",
    on: date | None = None,
    mentor: User | None = None,
    approval: Any = None,
) -> MenteeProfile:
    """Move a mentee along referred → active → on hold → discharged | graduated.

    An active mentee has a mentor: becoming active needs the one already
    assigned or `mentor`, assigned in the same transaction (a refusal of the
    assignment leaves the status as it was). Closing a case (discharged,
    graduated) ends the active assignment too.

    Where the program requires approval of a close (core.approvals), a
    person's call checks the rules and asks for approval instead: the mentee
    comes back marked with the request, unchanged; the mentee's current mentor
    may ask too. The approval calls again with `approval=` the request (and
    its asker as `changed_by`), the rules are checked again, and the change is
    made on the day of the approval.
    """
    gated = GATED_STATUSES.get(to_status)
    if approval is not None:
        approvals.check_performs(approval, action=gated or "", mentee_id=mentee.pk)
    elif not can_request_status(changed_by, mentee, to_status):
        raise PermissionDenied(gettext("Only the program's coordinators change a mentee's status."))
    on = on or program_today(mentee.program)
    with transaction.atomic():
        mentee = MenteeProfile.objects.select_for_update().get(pk=mentee.pk)
        from_status = mentee.status
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise ValidationError(
                {
                    "to_status": gettext(
                        "A mentee who is %(from_status)s cannot become %(to_status)s."
                    )
                    % {
                        "from_status": MenteeStatus(from_status).label,
                        "to_status": MenteeStatus(to_status).label,
                    }
                }
            )
        if to_status == MenteeStatus.DISCHARGED and not reason:
            raise ValidationError({"reason": gettext("Give the reason for the discharge.")})
        if approval is not None and not (
            can_manage_mentees(changed_by, mentee.program) or is_current_mentor(changed_by, mentee)
        ):
            # Approved, but the asker is no longer the mentor (or a coordinator).
            raise PermissionDenied
        if gated and approval is None and approvals.required(mentee.program):
            if mentor is not None:
                raise ValidationError(
                    {"mentor": gettext("A mentor is chosen here only when making a mentee active.")}
                )
            request = approvals.request(
                action=gated,
                mentee=mentee,
                requested_by=changed_by,
                details={"to_status": to_status, "reason": reason, "note": note},
            )
            return approvals.mark(mentee, request)
        assign_to = _mentor_for_status(mentee, to_status=to_status, mentor=mentor)
        mentee.status = to_status
        mentee.status_changed_on = on
        mentee.discharge_reason = reason if to_status == MenteeStatus.DISCHARGED else ""
        mentee.save(update_fields=["status", "status_changed_on", "discharge_reason"])
        MenteeStatusChange.objects.create(
            mentee=mentee,
            from_status=from_status,
            to_status=to_status,
            changed_on=on,
            changed_by=changed_by,
            reason=mentee.discharge_reason,
            note=note,
        )
        if to_status not in OPEN_STATUSES:
            _end_active_assignment(
                mentee, ended_by=changed_by, reason=AssignmentEndReason.MENTEE_CLOSED
            )
        if assign_to is not None:
            # The mentee is active by now, so the assignment records no second
            # status change; its eligibility refusal undoes this one.
            assignment_create(mentee=mentee, mentor=assign_to, assigned_by=changed_by)
    return mentee


def _mentor_for_status(mentee: MenteeProfile, *, to_status: str, mentor: User | None):
    """The mentor to assign with this change, if any. Called with the mentee
    locked, so the active assignment read here is the one that stays."""
    if to_status != MenteeStatus.ACTIVE:
        if mentor is not None:
            raise ValidationError(
                {"mentor": gettext("A mentor is chosen here only when making a mentee active.")}
            )
        return None
    current = Assignment.objects.filter(mentee=mentee).active().select_related("mentor").first()
    if current is None:
        if mentor is None:
            raise ValidationError(
                {
                    "mentor": gettext(
                        "Choose a mentor to make %(preferred_name)s active: an active mentee has a mentor."
                    )
                    % {"preferred_name": mentee.preferred_name}
                }
            )
        return mentor
    if mentor is not None and mentor.pk != current.mentor_id:
        raise ValidationError(
            {
                "mentor": gettext(
                    "%(preferred_name)s is assigned to %(mentor)s: to change mentors, reassign from the suggested mentors."
                )
                % {"preferred_name": mentee.preferred_name, "mentor": current.mentor}
            }
        )
    return None


def _end_active_assignment(mentee, *, ended_by, reason, note="") -> Assignment | None:
    active = Assignment.objects.select_for_update().filter(mentee=mentee).active().first()
    if active is None:
        return None
    active.ended_at = timezone.now()
    active.ended_by = ended_by
    active.end_reason = reason
    active.end_note = note
    active.save(update_fields=["ended_at", "ended_by", "end_reason", "end_note"])
    return active


def assignment_create(
    *,
    mentee: MenteeProfile,
    mentor: User,
    assigned_by: User,
    end_reason: str = "",
    end_note: str = "",
    handoff_summary: str = "",
) -> Assignment:
    """Assign a mentor. A reassignment ends the current one, with a reason, and
    carries the coordinator's handoff summary for the new mentor.

    The mentee row is locked for the whole decision, and the database allows one
    active assignment per mentee, so parallel requests cannot create two. Then
    the mentor's login is locked, as the people page's changes lock it: a
    mentor made coordinator, deactivated or moved at this moment, or a mentee
    moved to another program, is either seen here or waits for this
    assignment and counts it (tests/mentorship/test_people_races.py).
    """
    if not can_manage_mentees(assigned_by, mentee.program):
        raise PermissionDenied(gettext("Only the program's coordinators assign mentors."))
    with transaction.atomic():
        # No join in the locking query: a row moved to another program while
        # this waited would fail a joined program's condition and vanish.
        mentee = MenteeProfile.objects.select_for_update().get(pk=mentee.pk)
        if not can_manage_mentees(assigned_by, mentee.program):
            raise ValidationError(f"{mentee.preferred_name} has just moved to another program.")
        if mentee.status not in OPEN_STATUSES:
            raise ValidationError(
                gettext("%(preferred_name)s is %(status)s: reopen the case first.")
                % {"preferred_name": mentee.preferred_name, "status": mentee.get_status_display()}
            )
        profile = _lock_eligible_mentor(mentor, program=mentee.program)
        current = Assignment.objects.filter(mentee=mentee).active().first()
        if current is not None:
            if current.mentor_id == profile.user_id:
                raise ValidationError(
                    gettext("%(preferred_name)s is already assigned to %(mentor)s.")
                    % {"preferred_name": mentee.preferred_name, "mentor": mentor}
                )
            if not end_reason:
                raise ValidationError(
                    {
                        "end_reason": gettext(
                            "Say why the current assignment ends before reassigning."
                        )
                    }
                )
            _end_active_assignment(mentee, ended_by=assigned_by, reason=end_reason, note=end_note)
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    mentee=mentee,
                    mentor=profile.user,
                    assigned_by=assigned_by,
                    started_on=program_today(mentee.program),
                    handoff_summary=handoff_summary.strip() if current else "",
                )
        except IntegrityError as exc:
            raise ValidationError(
                gettext("%(preferred_name)s was just assigned by someone else.")
                % {"preferred_name": mentee.preferred_name}
            ) from exc
        if mentee.status == MenteeStatus.REFERRED:
            mentee_transition(mentee=mentee, to_status=MenteeStatus.ACTIVE, changed_by=assigned_by)
        # The new mentor is told (the email names no one; the site does).
        notify(
            kind="mentee_assigned",
            recipients=[profile.user],
            subject=assignment,
            due_key="assigned",
        )
    send_soon(cause=f"assignment {assignment.pk}")
    return assignment


def _mentors_in(user: User | None, program: Program) -> bool:
    return user is not None and user.role == Role.MENTOR and user.program_id == program.pk


def _lock_eligible_mentor(mentor: User, *, program: Program) -> MentorProfile:
    # The login first, then the profile: the order accounts.services._lock_person
    # and mentorship.people.mentees_to_hand_over take them in, so that the two
    # never wait on each other. The role, program and is_active are read from
    # the locked row, not from the caller's copy. (NO KEY UPDATE: rows that
    # merely point at the mentor, a check-in they log, are not held up.)
    locked = (
        User.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=mentor.pk)
        .order_by()
        .first()
    )
    if not _mentors_in(mentor, program):
        raise ValidationError({"mentor": gettext("Choose a mentor of this mentee's program.")})
    if not _mentors_in(locked, program):
        raise ValidationError(
            {
                "mentor": gettext("%(mentor)s is no longer a mentor of this program.")
                % {"mentor": mentor}
            }
        )
    # Two assignments racing for the mentor's last free place get one.
    MentorProfile.objects.select_for_update(of=("self",)).filter(user=mentor).order_by().first()
    profile = (
        MentorProfile.objects.filter(user=mentor)
        .with_active_caseload()
        .select_related("user")
        .first()
    )
    if profile is None:
        raise ValidationError(
            {"mentor": gettext("%(mentor)s has no mentor profile yet.") % {"mentor": mentor}}
        )
    reasons = ineligibility_reasons(
        profile,
        program=program,
        certified_ids=mentors_with_active_or_in_progress_certification(
            {mentor.pk}, program=program
        ),
    )
    if reasons:
        raise ValidationError(
            {
                "mentor": gettext("%(mentor)s cannot take a new mentee: %(reasons)s.")
                % {"mentor": mentor, "reasons": "; ".join(reasons)}
            }
        )
    return profile


def assignment_end(
    *, assignment: Assignment, ended_by: User, reason: str, note: str = ""
) -> Assignment:
    """End an assignment without a successor (the mentee goes back to the unassigned list)."""
    if not can_manage_mentees(ended_by, assignment.mentee.program):
        raise PermissionDenied(gettext("Only the program's coordinators end assignments."))
    if not reason:
        raise ValidationError({"reason": gettext("Say why the assignment ends.")})
    with transaction.atomic():
        ended = _end_active_assignment(
            assignment.mentee, ended_by=ended_by, reason=reason, note=note
        )
    if ended is None or ended.pk != assignment.pk:
        raise ValidationError(gettext("This assignment has already ended."))
    return ended


@transaction.atomic
def mentee_move_program(
    *, user: User, program: Program, moved_by: User, handoff_summary: str = ""
) -> MenteeProfile | None:
    """The mentee's record follows their login to another program (an admin's
    move on the people page): the active assignment ends, its note carrying
    the handoff summary; check-ins, plans and past assignments stay with the
    record."""
    if not moved_by.is_admin:
        raise PermissionDenied(gettext("Only admins move people between programs."))
    mentee = MenteeProfile.objects.select_for_update().filter(user=user).first()
    if mentee is None:
        return None
    if mentee.program_id != program.pk:
        _end_active_assignment(
            mentee,
            ended_by=moved_by,
            reason=AssignmentEndReason.OTHER,
            note=f"Moved to {program}."
            + (f" Handoff: {handoff_summary}" if handoff_summary else ""),
        )
        mentee.program = program
        mentee.save(update_fields=["program"])
        # A change to the record made from the people page: in the trail, as
        # any change of mentee data is (the trigger keeps the old program).
        audit.record(
            moved_by,
            action=Action.CHANGE,
            mentee_ids=[mentee.pk],
            object_type="mentee",
            object_id=mentee.pk,
        )
    return mentee


@transaction.atomic
def mentee_invite(*, mentee: MenteeProfile, invited_by: User, site_url: str) -> MenteeProfile:
    """Email the mentee an invitation; accepting it links the new login to this record."""
    if not can_manage_mentees(invited_by, mentee.program):
        raise PermissionDenied(gettext("Only the program's coordinators invite mentees."))
    if mentee.user_id:
        raise ValidationError(gettext("This mentee already has a login."))
    if not mentee.email:
        raise ValidationError({"email": gettext("Record the mentee's email address first.")})
    issued = invitation_create(
        invited_by=invited_by,
        email=mentee.email,
        role=Role.MENTEE,
        program=mentee.program,
        full_name=mentee.preferred_name,
        site_url=site_url,
        language=mentee.preferred_language,
    )
    mentee.invitation = issued.invitation
    mentee.save(update_fields=["invitation"])
    return mentee


@transaction.atomic
def mentee_record_remote_consent(
    *, mentee: MenteeProfile, recorded_by: User, consent: str, on: date | None = None
) -> MenteeProfile:
    """Record (or withdraw, with consent="") the mentee's consent to remote services."""
    mentee.refresh_from_db(from_queryset=MenteeProfile.objects.select_for_update(of=("self",)))
    if not can_work_with_mentee(recorded_by, mentee):
        raise PermissionDenied(gettext("Only the mentee's mentor or coordinators record consent."))
    today = program_today(mentee.program)
    if consent and on is not None and on > today:
        raise ValidationError({"on": gettext("Consent cannot be dated in the future.")})
    mentee.remote_consent = consent
    mentee.remote_consent_on = (on or today) if consent else None
    mentee.remote_consent_recorded_by = recorded_by if consent else None
    mentee.save(update_fields=["remote_consent", "remote_consent_on", "remote_consent_recorded_by"])
    return mentee


@transaction.atomic
def mentee_link_login(*, invitation, user: User) -> None:
    """Called when a mentee accepts an invitation sent from their record."""
    MenteeProfile.objects.filter(invitation=invitation, user__isnull=True).update(user=user)


@transaction.atomic
def mentor_profile_ensure(*, user: User) -> MentorProfile:
    profile, _ = MentorProfile.objects.get_or_create(
        user=user, defaults={"county": user.program.county if user.program else ""}
    )
    return profile


BREAK_GLASS_NOTIFICATION = "break_glass"


@transaction.atomic
def break_glass_open(*, user: User, mentee_id, reason: str, request=None) -> BreakGlassGrant:
    """An admin opens one mentee's record in an emergency: for
    PEERPATH_BREAK_GLASS_MINUTES, with a reason that goes into the audit
    trail, and the program's coordinators and every active admin are told.
    (`request`, when given, puts the address and browser into the audit event.)"""
    if not (user.is_authenticated and (user.is_admin or user.is_coordinator)):
        raise PermissionDenied(
            gettext("Only admins and coordinators can open a record in an emergency.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why you need to open this record.")})
    try:
        mentee = _lock_mentee_by_number(mentee_id)
    except ValidationError:
        if user.is_coordinator:
            raise ValidationError({"mentee": NO_RECORD_TO_COVER}) from None
        raise
    if user.is_coordinator:
        _check_cover(user, mentee)
    now = timezone.now()
    grant = BreakGlassGrant(
        user=user,
        mentee=mentee,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.PEERPATH_BREAK_GLASS_MINUTES),
    )
    grant.full_clean()
    grant.save()
    audit.record(
        request if request is not None else user,
        action=Action.BREAK_GLASS,
        mentee_ids=[mentee.pk],
        object_type="mentee",
        object_id=mentee.pk,
        reason=reason,
    )
    _notify_break_glass(grant, mentee)
    return grant


def _check_cover(coordinator: User, mentee: MenteeProfile) -> None:
    """A coordinator covers another program only where that program allows it.
    A refusal says the same for a record that does not exist, one in a program
    that does not allow cover: a coordinator learns nothing about other
    programs' people."""
    if mentee.program_id == coordinator.program_id:
        raise ValidationError(
            {"mentee": gettext("This mentee is in your program: open the record.")}
        )
    if not mentee.program.coordinators_may_cover:
        raise ValidationError({"mentee": NO_RECORD_TO_COVER})


NO_RECORD_TO_COVER = gettext_lazy(
    "There is no record with this number that you may open in an emergency."
)


def _lock_mentee_by_number(mentee_id) -> MenteeProfile:
    """Admins may learn whether a record number exists; nothing more."""
    try:
        number = int(str(mentee_id).strip())
    except (TypeError, ValueError):
        number = 0
    mentee = (
        MenteeProfile.objects.select_for_update().filter(pk=number).first()
        if 0 < number < 2**31
        else None
    )
    if mentee is None:
        raise ValidationError({"mentee": gettext("There is no mentee with this record number.")})
    return mentee


def _notify_break_glass(grant: BreakGlassGrant, mentee: MenteeProfile) -> None:
    coordinators = User.objects.coordinators_of(mentee.program).values_list("pk", flat=True)
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True)
    notify(
        kind=BREAK_GLASS_NOTIFICATION,
        recipients=sorted(set(coordinators) | set(admins)),
        subject=grant,
        due_key=str(grant.pk),
    )
    send_soon(cause=f"break-glass grant {grant.pk}")
