"""Who reaches which certification record; 404 for everything out of scope."""

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Certification, CertificationDocument, ContinuingEducation


def get_certification_for_user(user, pk: int) -> Certification:
    return get_object_or_404(
        Certification.objects.visible_to(user).select_related(
            "holder__program", "certification_type"
        ),
        pk=pk,
    )


def get_ce_for_user(user, pk: int) -> ContinuingEducation:
    return get_object_or_404(
        ContinuingEducation.objects.visible_to(user).select_related("holder"), pk=pk
    )


def get_document_for_user(user, pk: int) -> CertificationDocument:
    return get_object_or_404(CertificationDocument.objects.visible_to(user), pk=pk)


def can_manage_certifications_of(user, holder) -> bool:
    """Record and edit certifications: admins, and coordinators for their program."""
    return user.is_authenticated and (
        user.is_admin or (user.is_coordinator and holder.program_id == user.program_id)
    )


def can_manage_certification(user, certification: Certification) -> bool:
    return can_manage_certifications_of(user, certification.holder)


def can_approve_ce(user, entry: ContinuingEducation) -> bool:
    return entry.holder_id != user.pk and can_manage_certifications_of(user, entry.holder)


# How long holders may void hours they logged by mistake (services.ce_void).
CE_VOID_WINDOW = timedelta(days=7)


def can_void_ce(user, entry: ContinuingEducation) -> bool:
    """Whether to offer "void": the holder within 7 days of logging the hours,
    whoever decides on them at any time (services.ce_void has the rule)."""
    if entry.voided_at is not None:
        return False
    if can_approve_ce(user, entry):
        return True
    return entry.holder_id == user.pk and timezone.now() <= entry.created_at + CE_VOID_WINDOW


def can_see_reports(user) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_coordinator)
