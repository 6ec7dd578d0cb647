"""A mentee's language, for accounts.languages: read from her record."""

from collections.abc import Iterable

from .models import MenteeProfile


def of_mentees(user_ids: Iterable[int]) -> dict[int, str]:
    rows = MenteeProfile.objects.filter(user_id__in=list(user_ids))
    return dict(rows.values_list("user_id", "preferred_language"))


def of_invitation(invitation) -> str | None:
    rows = MenteeProfile.objects.filter(invitation_id=invitation.pk)
    return rows.values_list("preferred_language", flat=True).first()


def register() -> None:
    from accounts import languages

    languages.register(of_mentees=of_mentees, of_invitation=of_invitation)
