"""Supervision: the rules. Each write is atomic, locks before it checks, and
answers a race the way the first caller was answered (never a 500)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from core.dates import add_months, program_date, program_today
from mentorship.models import MenteeProfile
from mentorship.services import mentee_transition
from notifications.services import notify
from notifications.tasks import send_soon
from recovery_plans.services import plan_activate

from .choices import ApprovalAction, ApprovalStatus, Qualification, SessionKind, Topic
from .models import (
    ActionItem,
    ApprovalRequest,
    CrisisDebrief,
    FollowUpRequest,
    SessionMentor,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    settings_of,
)


def can_manage_supervision(user, program) -> bool:
    """The program's coordinators designate supervisors and assign them."""
    return user.is_authenticated and user.is_coordinator and user.program_id == program.pk


def current_supervisor(user) -> Supervisor | None:
    """The user's Supervisor row if they supervise now."""
    if not user.is_authenticated or user.role not in (Role.COORDINATOR, Role.MENTOR):
        return None
    return Supervisor.objects.filter(user=user, ended_on__isnull=True).first()


# --- Supervisors ----------------------------------------------------------------


def _qualification_errors(
    qualification: str, years_of_experience: int | None, license_number: str
) -> dict:
    errors = {}
    if qualification not in Qualification.values:
        errors["qualification"] = gettext("Choose the supervisor's qualification.")
    elif qualification == Qualification.CERTIFIED_PEER and years_of_experience is None:
        errors["years_of_experience"] = gettext(
            "A certified peer specialist supervisor states their years of experience."
        )
    elif qualification != Qualification.CERTIFIED_PEER and not license_number.strip():
        errors["license_number"] = gettext(
            "A licensed or registered supervisor gives their license or registration number."
        )
    return errors


@transaction.atomic
def supervisor_designate(
    *,
    user: User,
    by: User,
    qualification: str,
    years_of_experience: int | None = None,
    license_number: str = "",
    designated_on: date | None = None,
) -> Supervisor:
    """A coordinator designates a coordinator or a mentor of the program; the
    training is due the program's number of months later."""
    program = user.program
    if program is None or not can_manage_supervision(by, program):
        raise PermissionDenied(gettext("The program's coordinators designate supervisors."))
    # Two coordinators designating the same person: the second sees the first's row.
    User.objects.select_for_update(no_key=True, of=("self",)).filter(pk=user.pk).first()
    if user.role not in (Role.COORDINATOR, Role.MENTOR) or not user.is_active:
        raise ValidationError({"user": gettext("Only a coordinator or a mentor may supervise.")})
    existing = Supervisor.objects.filter(user=user).first()
    if existing is not None and existing.ended_on is None:
        raise ValidationError({"user": gettext("This person is already a supervisor.")})
    errors = _qualification_errors(qualification, years_of_experience, license_number)
    today = program_today(program)
    designated_on = designated_on or today
    if designated_on > today:
        errors["designated_on"] = gettext("The designation cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    months = settings_of(program).training_deadline_months
    supervisor = existing or Supervisor(user=user)
    supervisor.program = program
    supervisor.qualification = qualification
    supervisor.years_of_experience = (
        years_of_experience if qualification == Qualification.CERTIFIED_PEER else None
    )
    supervisor.license_number = license_number.strip()
    supervisor.designated_on = designated_on
    supervisor.designated_by = by
    supervisor.training_due_on = add_months(designated_on, months)
    supervisor.training_completed_on = None
    supervisor.ended_on = None
    supervisor.save()
    return supervisor


@transaction.atomic
def supervisor_training_record(
    *, supervisor: Supervisor, by: User, completed_on: date
) -> Supervisor:
    if not (can_manage_supervision(by, supervisor.program) or by.pk == supervisor.user_id):
        raise PermissionDenied(gettext("The program's coordinators record supervisor training."))
    if completed_on > program_today(supervisor.program):
        raise ValidationError({"completed_on": gettext("The training cannot end in the future.")})
    Supervisor.objects.filter(pk=supervisor.pk).update(training_completed_on=completed_on)
    supervisor.training_completed_on = completed_on
    return supervisor


@transaction.atomic
def supervisor_assign(
    *, mentor: User, supervisor: Supervisor, by: User, started_on: date | None = None
) -> SupervisorAssignment:
    """The mentor's current supervisor becomes `supervisor`; the earlier
    assignment ends the same day and stays as history."""
    program = supervisor.program
    if not can_manage_supervision(by, program):
        raise PermissionDenied(gettext("The program's coordinators assign supervisors."))
    # The mentor's row is the lock: two assignments at once queue here.
    User.objects.select_for_update(no_key=True, of=("self",)).filter(pk=mentor.pk).first()
    if not mentor.is_mentor or mentor.program_id != program.pk:
        raise ValidationError({"mentor": gettext("Choose a mentor of the program.")})
    if supervisor.ended_on is not None:
        raise ValidationError({"supervisor": gettext("Choose a current supervisor.")})
    if supervisor.user_id == mentor.pk:
        raise ValidationError({"supervisor": gettext("A mentor cannot supervise themselves.")})
    today = program_today(program)
    started_on = started_on or today
    current = SupervisorAssignment.objects.select_for_update().current().filter(mentor=mentor)
    previous = current.first()
    if previous is not None:
        if previous.supervisor_id == supervisor.pk:
            return previous  # already so: the same answer as the first call
        if started_on < previous.started_on:
            raise ValidationError(
                {"started_on": gettext("The new supervision starts after the current one did.")}
            )
        current.update(ended_on=started_on)
    try:
        with transaction.atomic():
            return SupervisorAssignment.objects.create(
                mentor=mentor, supervisor=supervisor, started_on=started_on, assigned_by=by
            )
    except IntegrityError as exc:  # pragma: no cover - the lock above makes this rare
        raise ValidationError(
            {"mentor": gettext("This mentor already has a current supervisor.")}
        ) from exc


def supervisor_of(mentor: User) -> Supervisor | None:
    assignment = (
        SupervisorAssignment.objects.current()
        .filter(mentor=mentor)
        .select_related("supervisor__user")
        .first()
    )
    return assignment.supervisor if assignment else None


# --- Sessions -------------------------------------------------------------------


@dataclass(frozen=True)
class NewActionItem:
    mentor: User
    description: str
    due_on: date | None = None


@transaction.atomic
def session_record(
    *,
    by: User,
    kind: str,
    held_on: date,
    duration_minutes: int,
    format: str,  # noqa: A002 (the product's word)
    topics: Iterable[str],
    mentors: Sequence[User],
    notes: str = "",
    mentees_discussed: Iterable[MenteeProfile] = (),
    action_items: Iterable[NewActionItem] = (),
    debriefs: Iterable[CrisisDebrief] = (),
) -> SupervisionSession:
    """A supervisor records a session they held with one mentor (individual)
    or several (group). A crisis debrief it covers is closed by it."""
    supervisor = current_supervisor(by)
    if supervisor is None:
        raise PermissionDenied(gettext("Only a current supervisor records supervision."))
    program = supervisor.program
    mentors = list(dict.fromkeys(mentors))
    topics = list(dict.fromkeys(topics))
    discussed = list(dict.fromkeys(mentees_discussed))
    debriefs = list(dict.fromkeys(debriefs))
    items = list(action_items)
    errors: dict[str, str] = {}
    if any(m.role != Role.MENTOR or m.program_id != program.pk for m in mentors):
        errors["mentors"] = gettext("Choose mentors of the program.")
    elif any(m.pk == by.pk for m in mentors):
        errors["mentors"] = gettext("A supervisor does not supervise themselves.")
    elif kind == SessionKind.INDIVIDUAL and len(mentors) != 1:
        errors["mentors"] = gettext("An individual session is with one mentor.")
    elif kind == SessionKind.GROUP and len(mentors) < 2:
        errors["mentors"] = gettext("A group session is with two or more mentors.")
    elif kind not in SessionKind.values:
        errors["kind"] = gettext("Choose individual or group.")
    if not topics or not set(topics) <= set(Topic.values):
        errors["topics"] = gettext("Choose at least one topic.")
    if held_on > program_today(program):
        errors["held_on"] = gettext("A session cannot be in the future.")
    if not 5 <= duration_minutes <= 480:
        errors["duration_minutes"] = gettext("A session lasts 5 to 480 minutes.")
    mentor_ids = {m.pk for m in mentors}
    if discussed:
        # Links to records, not names: only mentees a mentor of the session
        # works with now.
        reachable = set(
            MenteeProfile.objects.filter(
                pk__in=[m.pk for m in discussed],
                program=program,
                assignments__ended_at__isnull=True,
                assignments__mentor_id__in=mentor_ids,
            ).values_list("pk", flat=True)
        )
        if reachable != {m.pk for m in discussed}:
            errors["mentees_discussed"] = gettext(
                "Choose only mentees of the mentors in this session."
            )
    if any(item.mentor.pk not in mentor_ids or not item.description.strip() for item in items):
        errors["action_items"] = gettext(
            "Each action item says what is to be done, by a mentor of the session."
        )
    if debriefs:
        if Topic.CRISIS_DEBRIEF not in topics:
            errors["debriefs"] = gettext(
                "A session closes a debrief only with the crisis debrief topic."
            )
        locked = list(
            CrisisDebrief.objects.select_for_update().filter(pk__in=[d.pk for d in debriefs])
        )
        if any(d.mentor_id not in mentor_ids or d.closed_at is not None for d in locked):
            errors["debriefs"] = gettext(
                "Choose open crisis debriefs of the mentors in this session."
            )
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession.objects.create(
        program=program,
        supervisor=by,
        kind=kind,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        topics=topics,
        notes=notes.strip(),
        recorded_by=by,
    )
    SessionMentor.objects.bulk_create(SessionMentor(session=session, mentor=m) for m in mentors)
    if discussed:
        session.mentees_discussed.add(*discussed)
    ActionItem.objects.bulk_create(
        ActionItem(
            session=session, mentor=i.mentor, description=i.description.strip(), due_on=i.due_on
        )
        for i in items
    )
    if debriefs:
        CrisisDebrief.objects.filter(
            pk__in=[d.pk for d in debriefs], closed_at__isnull=True
        ).update(session=session, closed_at=timezone.now())
    return session


@transaction.atomic
def session_acknowledge(*, session: SupervisionSession, mentor: User) -> SessionMentor:
    """The mentor acknowledges the session; a second time changes nothing."""
    row = SessionMentor.objects.select_for_update().filter(session=session, mentor=mentor).first()
    if row is None:
        raise PermissionDenied(gettext("Only a mentor of the session acknowledges it."))
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
    return row


@transaction.atomic
def action_item_done(*, item: ActionItem, by: User) -> ActionItem:
    """The mentor ticks off their own item; ticked twice, it keeps the first time."""
    if by.pk != item.mentor_id:
        raise PermissionDenied(gettext("The mentor ticks off their own action items."))
    ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=timezone.now())
    item.refresh_from_db(fields=["done_at"])
    return item


# --- Crisis debriefs ------------------------------------------------------------


def debrief_open(*, checkin) -> CrisisDebrief | None:
    """A crisis-flagged check-in with a mentor opens one debrief, due the
    program's number of days after the check-in's (program-local) day."""
    if not checkin.crisis_flag or checkin.mentor_id is None:
        return None
    program = checkin.mentee.program
    opened_on = program_date(checkin.occurred_at, program)
    due_on = opened_on + timedelta(days=settings_of(program).debrief_due_days)
    debrief, _ = CrisisDebrief.objects.get_or_create(
        checkin=checkin,
        defaults={
            "program": program,
            "mentor_id": checkin.mentor_id,
            "opened_on": opened_on,
            "due_on": due_on,
        },
    )
    return debrief


# --- Follow-up requests ---------------------------------------------------------

FOLLOW_UP_TEXT_MAX = 500


def may_request_follow_up(user, *, program, mentor) -> bool:
    """A coordinator of the program, or the mentor's current supervisor."""
    if not user.is_authenticated or program is None:
        return False
    if user.is_coordinator and user.program_id == program.pk:
        return True
    if mentor is None or user.role not in (Role.COORDINATOR, Role.MENTOR):
        return False
    return (
        SupervisorAssignment.objects.current()
        .filter(mentor=mentor, supervisor__user=user, supervisor__ended_on__isnull=True)
        .exists()
    )


@transaction.atomic
def follow_up_request(
    *, by: User, text: str, checkin=None, plan=None, due_on: date | None = None
) -> FollowUpRequest:
    """Ask the mentee's current mentor to follow up a check-in or a plan. The
    mentor is told (a notification row, mailed as a link only)."""
    from mentorship.models import Assignment
    from notifications.services import notify
    from notifications.tasks import send_soon

    if (checkin is None) == (plan is None):
        raise ValidationError(gettext("A follow-up request is about one check-in or one plan."))
    target = checkin if checkin is not None else plan
    mentee = MenteeProfile.objects.select_related("program").get(pk=target.mentee_id)
    program = mentee.program
    # The mentee's current assignment is the lock: a reassignment at the same
    # moment either comes first (the new mentor is asked) or waits.
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(mentee=mentee, ended_at__isnull=True)
        .select_related("mentor")
        .first()
    )
    mentor = assignment.mentor if assignment else None
    if not may_request_follow_up(by, program=program, mentor=mentor):
        raise PermissionDenied(
            gettext("Only the mentor's supervisor or a coordinator asks for a follow-up.")
        )
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = gettext("Say what to follow up.")
    elif len(text) > FOLLOW_UP_TEXT_MAX:
        errors["text"] = gettext("Keep it to 500 characters.")
    if due_on is not None and due_on < program_today(program):
        errors["due_on"] = gettext("The due date cannot be in the past.")
    if mentor is None:
        errors["__all__"] = gettext("This mentee has no current mentor to ask.")
    if errors:
        raise ValidationError(errors)
    assert mentor is not None  # refused above
    request = FollowUpRequest.objects.create(
        program=program,
        mentee=mentee,
        checkin=checkin,
        plan=plan,
        mentor=mentor,
        requested_by=by,
        text=text,
        due_on=due_on,
    )
    notify(kind="follow_up_requested", recipients=[mentor.pk], subject=request, due_key="asked")
    send_soon(cause=f"follow-up request {request.pk}")
    return request


def lock_follow_up(pk: int) -> FollowUpRequest:
    """The request's row, locked: two answers at once queue here."""
    return FollowUpRequest.objects.select_for_update().get(pk=pk)


@transaction.atomic
def follow_up_resolve(*, follow_up: FollowUpRequest, by: User, answer: str) -> FollowUpRequest:
    """The mentor asked answers; the answer resolves the request and the
    requester is told. Answered twice (a second click, a second tab), it
    keeps the first answer and answers the same."""
    from notifications.services import notify
    from notifications.tasks import send_soon

    locked = lock_follow_up(follow_up.pk)
    if by.pk != locked.mentor_id:
        raise PermissionDenied(gettext("Only the mentor asked answers a follow-up request."))
    if locked.resolved_at is not None:
        return locked
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": gettext("Write your answer: what you did or found out.")})
    locked.answer, locked.resolved_at = answer, timezone.now()
    locked.save(update_fields=["answer", "resolved_at"])
    notify(
        kind="follow_up_answered",
        recipients=[locked.requested_by_id],
        subject=locked,
        due_key="answered",
    )
    send_soon(cause=f"follow-up request {locked.pk} answered")
    return locked


# --- Approvals ------------------------------------------------------------------
# The gate (core.approvals) that mentorship's and recovery_plans' services ask:
# registered from SupervisionConfig.ready().


class ApprovalGate:
    def required(self, program) -> bool:
        return settings_of(program).approvals_required

    def request(
        self, *, action: str, mentee: MenteeProfile, requested_by: User, details: dict, plan=None
    ) -> ApprovalRequest:
        return approval_request(
            action=action, mentee=mentee, requested_by=requested_by, details=details, plan=plan
        )

    def open_requests(self, *, mentee: MenteeProfile, plan=None) -> list[ApprovalRequest]:
        found = ApprovalRequest.objects.open().filter(mentee=mentee).select_related("requested_by")
        if plan is not None:
            found = found.filter(plan=plan)
        return list(found)


def approval_request(
    *, action: str, mentee: MenteeProfile, requested_by: User, details: dict, plan=None
) -> ApprovalRequest:
    """Called by the asking service with its subject locked and its rules
    checked: the request, made once. A second ask for the same thing gets the
    request already waiting; one that differs is refused plainly."""
    if action not in ApprovalAction.values:
        raise ValueError(action)
    open_one = ApprovalRequest.objects.open().filter(action=action, mentee=mentee, plan=plan)
    waiting = open_one.first()
    if waiting is None:
        current = mentee.assignments.active().values_list("mentor_id", flat=True).first()
        try:
            with transaction.atomic():
                waiting = ApprovalRequest.objects.create(
                    program_id=mentee.program_id,
                    action=action,
                    mentee=mentee,
                    plan=plan,
                    mentor_id=current,
                    details=details,
                    requested_by=requested_by,
                )
        except IntegrityError:  # pragma: no cover - the subject's lock makes this rare
            waiting = open_one.get()
        else:
            _notify_approvers(waiting)
            return waiting
    if waiting.details != details:
        raise ValidationError(
            gettext(
                "A request is already waiting for approval: withdraw it (or have it "
                "rejected) to ask again."
            )
        )
    return waiting


def approvers_of(approval: ApprovalRequest) -> list[int]:
    """Who may decide: the program's coordinators and the mentor's current
    supervisor, never the person who asked."""
    ids = set(
        User.objects.filter(
            program_id=approval.program_id, role=Role.COORDINATOR, is_active=True
        ).values_list("pk", flat=True)
    )
    if approval.mentor_id:
        ids |= set(
            SupervisorAssignment.objects.current()
            .filter(mentor_id=approval.mentor_id, supervisor__ended_on__isnull=True)
            .values_list("supervisor__user_id", flat=True)
        )
    ids.discard(approval.requested_by_id)
    return sorted(ids)


def can_decide_approval(user, approval: ApprovalRequest) -> bool:
    if not user.is_authenticated or user.pk == approval.requested_by_id:
        return False
    if user.is_admin:
        return True
    if user.is_coordinator:
        return user.program_id == approval.program_id
    return (
        approval.mentor_id is not None
        and SupervisorAssignment.objects.current()
        .filter(
            mentor_id=approval.mentor_id, supervisor__user=user, supervisor__ended_on__isnull=True
        )
        .exists()
    )


def _notify_approvers(approval: ApprovalRequest) -> None:
    notify(
        kind="approval_requested",
        recipients=approvers_of(approval),
        subject=approval,
        due_key="requested",
    )
    send_soon(cause=f"approval request {approval.pk}")


def _notify_requester(approval: ApprovalRequest) -> None:
    notify(
        kind="approval_decided",
        recipients=[approval.requested_by_id],
        subject=approval,
        due_key=approval.status,
    )
    send_soon(cause=f"approval request {approval.pk}")


def _lock_approval(approval: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().get(pk=approval.pk)


def _decided_already(approval: ApprovalRequest, wanted: str) -> ApprovalRequest:
    """A request decided meanwhile: the same decision answers as the first
    caller was answered; another is refused in words."""
    if approval.status == wanted:
        approval.already_decided = True  # type: ignore[attr-defined]
        return approval
    raise ValidationError(
        gettext("This request is already %(status)s.")
        % {"status": ApprovalStatus(approval.status).label}
    )


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": gettext("Write a comment with the decision.")})
    if len(comment) > 1000:
        raise ValidationError({"comment": gettext("Keep the comment to 1000 characters.")})
    return comment


def _perform(approval: ApprovalRequest) -> None:
    """The asking service again, with the request: it re-checks its rules now."""
    try:
        if approval.plan is not None:
            plan_activate(plan=approval.plan, activated_by=approval.requested_by, approval=approval)
        else:
            mentee_transition(
                mentee=approval.mentee,
                to_status=approval.details["to_status"],
                reason=approval.details.get("reason", ""),
                note=approval.details.get("note", ""),
                changed_by=approval.requested_by,
                approval=approval,
            )
    except PermissionDenied:
        raise ValidationError(
            gettext(
                "The person who asked may no longer do this (their mentee or role "
                "changed): reject the request."
            )
        ) from None
    except ValidationError as exc:
        raise ValidationError(
            gettext("This cannot be approved now: %(reason)s") % {"reason": " ".join(exc.messages)}
        ) from None


def approval_decide(
    *, approval: ApprovalRequest, by: User, approve: bool, comment: str
) -> ApprovalRequest:
    """Approve (the action takes effect now, its rules checked again) or
    reject, with a comment. Two deciders at once: the first decides; the
    second is answered as the first was, or told it is decided."""
    wanted = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    with transaction.atomic():
        approval = _lock_approval(approval)
        if not can_decide_approval(by, approval):
            raise PermissionDenied(
                gettext("The mentor's supervisor or the program's coordinators decide.")
            )
        if not approval.is_open:
            return _decided_already(approval, wanted)
        comment = _comment(comment)
        if approve:
            _perform(approval)
        approval.status = wanted
        approval.decided_by = by
        approval.decided_at = timezone.now()
        approval.comment = comment
        approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        _notify_requester(approval)
    return approval


def approval_withdraw(*, approval: ApprovalRequest, by: User) -> ApprovalRequest:
    """The person who asked takes the request back before it is decided."""
    with transaction.atomic():
        approval = _lock_approval(approval)
        if by.pk != approval.requested_by_id:
            raise PermissionDenied(gettext("Only the person who asked withdraws a request."))
        if not approval.is_open:
            return _decided_already(approval, ApprovalStatus.WITHDRAWN)
        approval.status = ApprovalStatus.WITHDRAWN
        approval.decided_by = by
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
    return approval
