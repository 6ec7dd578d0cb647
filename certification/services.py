"""Writes with rules: certifications, renewals, suspensions, CE and documents."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from core import voiding
from core.constraints import plain_violations
from core.dates import add_months, program_today
from core.once import submitted_once
from core.stale import refuse_if_changed

from .models import (
    Certification,
    CertificationCycle,
    CertificationDocument,
    ContinuingEducation,
    LapseRule,
)
from .permissions import (
    CE_VOID_WINDOW,
    can_approve_ce,
    can_manage_certification,
    can_manage_certifications_of,
)
from .status import Status, ce_progress, derive_status, next_cycle_start

CERTIFICATION_FIELDS = (
    "number", "training_completed_on", "exam_passed_on", "ethics_signed_on", "issued_on",
    "expires_on", "refresher_completed_on", "background_check_on", "specializations",
)  # fmt: skip


def _holders_today(certification: Certification) -> date:
    holder = certification.holder
    return program_today(holder.program if holder.program_id else None)


@transaction.atomic
@submitted_once
def certification_create(*, holder: User, certification_type, by: User, **fields) -> Certification:
    """Record a holder's certification (in progress until training and exam are done)."""
    if not can_manage_certifications_of(by, holder):
        raise PermissionDenied(
            gettext("Admins and the holder's coordinators record certifications.")
        )
    if not (holder.is_mentor or holder.is_coordinator):
        raise ValidationError(
            {"holder": gettext("Certifications are for mentors and coordinators.")}
        )
    cert = Certification(holder=holder, certification_type=certification_type, **fields)
    if cert.issued_on and not cert.expires_on:
        cert.expires_on = add_months(cert.issued_on, certification_type.cycle_months)
    cert.cycle_started_on = cert.issued_on
    cert.full_clean()
    # The same holder and type recorded by someone else meanwhile: refused in words.
    with plain_violations():
        cert.save()
    return cert


def _locked(certification: Certification) -> Certification:
    """Lock the certification until the transaction ends and re-read it (the
    caller's object too): checks and writes see what another request just
    saved, never a page's old copy."""
    certification.refresh_from_db(
        from_queryset=Certification.objects.select_for_update(of=("self",))
    )
    return certification


@transaction.atomic
def certification_update(
    *, certification: Certification, by: User, seen: dict | None = None, **fields
) -> Certification:
    """`seen`: what the editor's form showed (core.stale); refused if the
    certification changed since."""
    certification = _locked(certification)
    if not can_manage_certification(by, certification):
        raise PermissionDenied
    refuse_if_changed(certification, seen)
    for field in CERTIFICATION_FIELDS:
        if field in fields:
            setattr(certification, field, fields[field])
    if certification.cycle_started_on is None:
        certification.cycle_started_on = certification.issued_on
    certification.full_clean()
    with plain_violations():
        certification.save()
    return certification


@transaction.atomic
def certification_set_manual_status(
    *, certification: Certification, by: User, status: str, reason: str = ""
) -> Certification:
    """Suspend, revoke or reinstate (status ""): the only statuses set by hand."""
    certification = _locked(certification)
    if not by.is_admin:
        raise PermissionDenied(gettext("Only admins suspend, revoke or reinstate certifications."))
    if status not in Certification.ManualStatus.values:
        raise ValidationError(
            {"status": gettext("Choose suspended, revoked, or none to reinstate.")}
        )
    if status and not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    certification.manual_status = status
    certification.manual_status_reason = reason.strip() if status else ""
    certification.manual_status_on = _holders_today(certification) if status else None
    certification.save(update_fields=["manual_status", "manual_status_reason", "manual_status_on"])
    return certification


JUST_RENEWED = gettext_lazy("This certification was just renewed.")


def certification_renew(
    *, certification: Certification, by: User, today: date | None = None
) -> Certification:
    """Start the next cycle on the same certification, keeping the one that ends.

    Renewal is open from the renewal window (90 days before expiry for
    Medi-Cal); it needs the cycle's CE in total and per category, and the Code
    of Ethics signed again when the type asks; a lapsed certification needs the
    refresher training first (or, by the type's rule, a new application).

    The row is locked before anything is checked, so two posts at once renew
    once: the second reads the first's dates and is told it was just renewed.
    The database keeps one cycle per end date, should a writer skip the lock.
    """
    if not can_manage_certification(by, certification):
        raise PermissionDenied
    try:
        with transaction.atomic():
            renewed = _renew_locked(certification, by, today)
    except IntegrityError as exc:  # certification_cycle_once_per_end
        raise ValidationError(JUST_RENEWED) from exc
    certification.cycle_started_on = renewed.cycle_started_on
    certification.expires_on = renewed.expires_on
    return certification


def _renew_locked(certification: Certification, by: User, today: date | None) -> Certification:
    locked = (
        Certification.objects.select_for_update(of=("self",))
        .select_related("certification_type", "holder__program")
        .get(pk=certification.pk)
    )
    today = today or _holders_today(locked)
    if (
        locked.expires_on != certification.expires_on
        or locked.cycles.filter(renewed_on=today).exists()
    ):
        raise ValidationError(JUST_RENEWED)
    progress = ce_progress(
        locked, ContinuingEducation.objects.counted().filter(holder=locked.holder_id)
    )
    status = derive_status(locked, today)
    problems = _renewal_problems(locked, status, progress)
    if problems:
        raise ValidationError(problems)
    expires = locked.expires_on
    assert expires is not None  # a renewable status has an expiry date
    CertificationCycle.objects.create(
        certification=locked,
        started_on=locked.cycle_started_on or locked.issued_on,
        ended_on=expires,
        ce_hours_approved=progress.approved,
        renewed_on=today,
        renewed_by=by,
    )
    # The next cycle starts the day after the expiry (or, after a lapse, on the
    # renewal day), so no day of CE counts in two cycles (status.in_cycle).
    base = expires if status != Status.LAPSED else today
    locked.cycle_started_on = next_cycle_start(expires) if status != Status.LAPSED else today
    locked.expires_on = add_months(base, locked.certification_type.cycle_months)
    locked.save(update_fields=["cycle_started_on", "expires_on"])
    return locked


def _renewal_problems(cert: Certification, status: Status, progress) -> list[str]:
    ctype = cert.certification_type
    problems = []
    if status in (Status.SUSPENDED, Status.REVOKED, Status.IN_PROGRESS, Status.ACTIVE):
        problems.append(
            "The renewal window is not open yet."
            if status == Status.ACTIVE
            else f"A certification that is {status.label} cannot be renewed."
        )
    expires = cert.expires_on
    if status == Status.LAPSED and expires is not None:
        if ctype.lapse_rule == LapseRule.NEW_APPLICATION:
            problems.append("After a lapse this credential needs a new initial application.")
        elif not cert.refresher_completed_on or cert.refresher_completed_on <= expires:
            problems.append(
                "After a lapse, the refresher training must be completed before renewal."
            )
    if progress.short:
        problems.append("Continuing education is short: " + "; ".join(progress.shortfalls()) + ".")
    if ctype.ethics_signed_at_renewal and expires:
        window_opens = expires - timedelta(days=ctype.renewal_window_days)
        if not cert.ethics_signed_on or cert.ethics_signed_on < window_opens:
            problems.append("The Code of Ethics must be signed again for this renewal.")
    return problems


@transaction.atomic
@submitted_once
def ce_log(*, holder: User, by: User, **fields) -> ContinuingEducation:
    """A holder logs a course (with evidence); it counts once approved."""
    if by.pk != holder.pk and not can_manage_certifications_of(by, holder):
        raise PermissionDenied
    entry = ContinuingEducation(holder=holder, **fields)
    if entry.completed_on and entry.completed_on > program_today(
        holder.program if holder.program_id else None
    ):
        raise ValidationError(
            {"completed_on": gettext("A course cannot be completed in the future.")}
        )
    entry.full_clean()
    with plain_violations():
        entry.save()
    return entry


VOIDED_NOT_DECIDED = (
    "These hours were voided as entered by mistake; they are neither approved nor rejected."
)


@transaction.atomic
def ce_approve(*, entry: ContinuingEducation, by: User) -> ContinuingEducation:
    entry.refresh_from_db(from_queryset=ContinuingEducation.objects.select_for_update(of=("self",)))
    if not can_approve_ce(by, entry):
        raise PermissionDenied(
            gettext("Admins and the holder's coordinators approve hours, never their own.")
        )
    if entry.voided_at is not None:
        raise ValidationError(VOIDED_NOT_DECIDED)
    if entry.rejected_at is not None:
        raise ValidationError(
            gettext("These hours were rejected; the holder logs them again if they are corrected.")
        )
    if entry.approved_at is None:
        entry.approved_by, entry.approved_at = by, timezone.now()
        entry.save(update_fields=["approved_by", "approved_at"])
    return entry


@transaction.atomic
@submitted_once
def document_upload(
    *, certification: Certification, by: User, upload, description: str = ""
) -> CertificationDocument:
    if by.pk != certification.holder_id and not can_manage_certification(by, certification):
        raise PermissionDenied
    document = CertificationDocument(
        certification=certification, file=upload, uploaded_by=by, description=description
    )
    document.full_clean()
    document.save()
    return document


REJECTION_REASON_MAX = ContinuingEducation._meta.get_field("rejection_reason").max_length or 300


@transaction.atomic
def ce_reject(*, entry: ContinuingEducation, by: User, reason: str) -> ContinuingEducation:
    """Refuse hours with a reason the holder reads (wrong category, no
    evidence, not an approved provider). They stay in the record, rejected,
    and never count; rejecting twice keeps the first decision."""
    entry.refresh_from_db(from_queryset=ContinuingEducation.objects.select_for_update(of=("self",)))
    if not can_approve_ce(by, entry):
        raise PermissionDenied(
            gettext("Admins and the holder's coordinators decide on hours, never on their own.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why, so the holder can put it right.")})
    if len(reason) > REJECTION_REASON_MAX:
        raise ValidationError(
            {
                "reason": gettext("Keep the reason under %(limit)s characters.")
                % {"limit": REJECTION_REASON_MAX}
            }
        )
    if entry.voided_at is not None:
        raise ValidationError(VOIDED_NOT_DECIDED)
    if entry.approved_at is not None:
        raise ValidationError(gettext("These hours are already approved."))
    if entry.rejected_at is None:
        entry.rejected_by, entry.rejected_at = by, timezone.now()
        entry.rejection_reason = reason
        entry.save(update_fields=["rejected_by", "rejected_at", "rejection_reason"])
    return entry


CE_VOID_WORDS = voiding.VoidWords(
    not_allowed=gettext_lazy(
        "Only the holder or whoever approves their hours voids continuing education."
    ),
    no_reason=gettext_lazy("Say why these hours are being voided."),
    too_late=gettext_lazy(
        "Hours can be voided by their holder for 7 days after logging them; "
        "ask a coordinator to void these."
    ),
)


@transaction.atomic
def ce_void(*, entry: ContinuingEducation, by: User, reason: str) -> ContinuingEducation:
    """Hours logged by mistake are voided, never deleted: by their holder within
    7 days of logging them, or by whoever decides on the holder's hours (admins,
    the holder's coordinators) at any time, with a reason. They stay in the
    history, struck through, and count for no progress, renewal or alert.
    Voiding twice answers like the first."""
    entry.refresh_from_db(
        from_queryset=ContinuingEducation.objects.select_for_update(of=("self",)).select_related(
            "holder"
        )
    )
    voiding.void(
        entry,
        by=by,
        reason=reason,
        decides=can_approve_ce(by, entry),
        owns=entry.holder_id == by.pk,
        window=CE_VOID_WINDOW,
        words=CE_VOID_WORDS,
    )
    return entry
