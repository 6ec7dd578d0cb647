"""Is this intake someone the program already has? The rule behind "this may
be the same person" on the intake page: the same date of birth with a similar
name, or the same phone number, or the same email address.

Only the program's own mentees are compared: a coordinator is never told that
someone is a mentee of another program (42 CFR Part 2)."""

import re
import unicodedata
from datetime import date

from django.db.models import Q

from accounts.models import Program

from .models import MenteeProfile

# Digits a phone number must share to be "the same": the last ten, which
# ignores a country code, spaces, dashes and brackets.
PHONE_DIGITS = 10
# The shortest name part compared (initials say too little).
SHORTEST_NAME_PART = 2


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-PHONE_DIGITS:]


def name_parts(*names: str) -> set[str]:
    """Lower-case words without accents: "José Núñez" and "jose nunez" match."""
    parts = set()
    for name in names:
        plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
        parts |= {p for p in re.split(r"[^a-z]+", plain.lower()) if len(p) >= SHORTEST_NAME_PART}
    return parts


def similar_names(new: set[str], known: set[str]) -> bool:
    """A shared word, or a word that begins another ("Sam" and "Samantha")."""
    return any(a == b or a.startswith(b) or b.startswith(a) for a in new for b in known)


def possible_duplicates(
    *,
    program: Program,
    preferred_name: str = "",
    legal_name: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
    email: str = "",
) -> list[MenteeProfile]:
    """The program's mentees that may be this person, oldest first, in one query."""
    digits = phone_digits(phone)
    near = Q()
    if date_of_birth:
        near |= Q(date_of_birth=date_of_birth)
    if email:
        near |= Q(email__iexact=email.strip())
    if len(digits) >= 7:
        # Narrowed in the database by the last four digits, compared in full here.
        near |= Q(phone__contains=digits[-4:])
    if not near:
        return []
    new_names = name_parts(preferred_name, legal_name)
    found = []
    for mentee in MenteeProfile.objects.filter(near, program=program).order_by("intake_date", "pk"):
        same_email = bool(email) and mentee.email.strip().lower() == email.strip().lower()
        same_phone = len(digits) >= 7 and phone_digits(mentee.phone) == digits
        same_birth_and_name = (
            date_of_birth is not None
            and mentee.date_of_birth == date_of_birth
            and similar_names(new_names, name_parts(mentee.preferred_name, mentee.legal_name))
        )
        if same_email or same_phone or same_birth_and_name:
            found.append(mentee)
    return found
