"""Who reaches which consent, referral, disclosure and directory entry: the
mentee scope of mentorship (404 outside it)."""

from django.shortcuts import get_object_or_404

from mentorship.permissions import can_manage_mentees, can_work_with_mentee  # noqa: F401

from .models import Consent, Disclosure, Referral, Resource


def get_consent_for_user(user, pk: int) -> Consent:
    return get_object_or_404(
        Consent.objects.visible_to(user).select_related("mentee__program", "mentee__user"), pk=pk
    )


def get_referral_for_user(user, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related("mentee__program", "resource"), pk=pk
    )


def get_disclosure_for_user(user, pk: int) -> Disclosure:
    return get_object_or_404(
        Disclosure.objects.visible_to(user).select_related(
            "mentee__program", "consent", "resource", "disclosed_by"
        ),
        pk=pk,
    )


def get_resource_for_user(user, pk: int) -> Resource:
    return get_object_or_404(Resource.objects.visible_to(user).select_related("program"), pk=pk)


def can_see_directory(user) -> bool:
    return user.is_authenticated and not user.is_mentee
