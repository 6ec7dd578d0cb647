"""Which language Peerpath speaks to whom.

Staff read English. A mentee reads the preferred language of her record when
Peerpath has a catalogue for it (settings.LANGUAGES), English otherwise. That
record belongs to mentorship, above accounts, so mentorship registers how to
read it (`register`). A page nobody is signed in to speaks the language of the
person it is for when it knows them (an invitation's mentee), else the
browser's (the language cookie, then Accept-Language).
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation

# Mentees' user ids -> the preferred language on their records, in one query.
MenteeLanguages = Callable[[Iterable[int]], dict[int, str]]
# An invitation -> the preferred language of the mentee it was sent for, if any.
InvitationLanguage = Callable[[object], str | None]

_of_mentees: MenteeLanguages | None = None
_of_invitation: InvitationLanguage | None = None


def register(*, of_mentees: MenteeLanguages, of_invitation: InvitationLanguage) -> None:
    global _of_mentees, _of_invitation
    _of_mentees, _of_invitation = of_mentees, of_invitation


def default() -> str:
    return settings.LANGUAGE_CODE


def supported(code: str | None) -> str:
    """The language Peerpath speaks closest to `code` ("es" for "es-MX"), or English."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return default()


def for_users(users: Iterable) -> dict[int, str]:
    """Each user's language, by id: one query for the mentees among them, none for staff."""
    users = list(users)
    mentee_ids = [user.pk for user in users if user.is_mentee]
    preferred = _of_mentees(mentee_ids) if mentee_ids and _of_mentees else {}
    return {user.pk: supported(preferred.get(user.pk)) for user in users}


def for_user(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return default()
    return for_users([user])[user.pk]


def for_invitation(invitation) -> str | None:
    """The language of the mentee an invitation is for; None when it names no
    one who has one (a staff invitation: the browser's language then)."""
    if _of_invitation is None:
        return None
    preferred = _of_invitation(invitation)
    return supported(preferred) if preferred else None


def for_anonymous(request) -> str:
    return supported(translation.get_language_from_request(request))
