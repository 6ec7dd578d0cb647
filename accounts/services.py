"""Writes with rules and side effects for accounts, programs and invitations."""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from knox.models import AuthToken
from rest_framework.authtoken.models import Token

from core.constraints import plain_violations
from core.once import submitted_once

from . import languages, selectors
from .models import (
    ApiTokenLabel,
    Invitation,
    Program,
    Role,
    User,
    UserSession,
    hash_invitation_token,
)
from .people_rules import Change, after_change, refusals
from .permissions import (
    can_invite,
    can_manage_people,
    can_revoke_api_token,
    can_revoke_invitation,
)
from .signals import invitation_accepted


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    # The raw token exists only here, in memory, long enough to mail the link.
    token: str

    @property
    def path(self) -> str:
        return reverse("accounts:invitation_accept", kwargs={"token": self.token})


def invitation_create(
    *,
    invited_by: User,
    email: str,
    role: str,
    program: Program | None,
    full_name: str = "",
    site_url: str,
    language: str = "",
) -> IssuedInvitation:
    """Invite a person by email, in `language` (a mentee's own; English
    otherwise). Re-inviting the same address revokes the older link."""
    email = email.strip().lower()
    if not can_invite(invited_by, role=role, program=program):
        raise PermissionDenied(gettext("You cannot invite this role into this program."))
    # The rule invitation_program_required_unless_admin, for the page and the API alike.
    if role == Role.ADMIN and program is not None:
        raise ValidationError(
            {"program": gettext("Admins belong to no program; leave this empty.")}
        )
    if role != Role.ADMIN and program is None:
        raise ValidationError(
            {"program": gettext("Choose the program to invite this person into.")}
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": gettext("Someone with this email already has a login.")})

    token = Invitation.new_token()
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        # Invited by someone else meanwhile: "already has an open invitation".
        with plain_violations():
            invitation = Invitation.objects.create(
                email=email,
                full_name=full_name.strip(),
                role=role,
                program=program,
                invited_by=invited_by,
                token_hash=hash_invitation_token(token),
                created_at=now,
                expires_at=Invitation.default_expiry(),
            )
    issued = IssuedInvitation(invitation=invitation, token=token)
    _send_invitation_email(issued, site_url=site_url, language=languages.supported(language))
    return issued


def _send_invitation_email(issued: IssuedInvitation, *, site_url: str, language: str) -> None:
    # Sent in the request (not through Celery) so the raw token never sits in a
    # broker queue or on disk.
    context = {"invitation": issued.invitation, "link": f"{site_url}{issued.path}"}
    with translation.override(language):
        send_mail(
            subject="[Peerpath] " + gettext("You are invited to Peerpath"),
            message=render_to_string("emails/accounts/invitation.txt", context),
            html_message=render_to_string("emails/accounts/invitation.html", context),
            from_email=None,
            recipient_list=[issued.invitation.email],
        )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    invitation.refresh_from_db(from_queryset=Invitation.objects.select_for_update(of=("self",)))
    if not can_revoke_invitation(revoked_by, invitation):
        raise PermissionDenied(gettext("You cannot revoke this invitation."))
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(gettext("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(*, token: str) -> Invitation:
    """The open invitation behind a link, or InvitationUnusable saying why not."""
    invitation = (
        Invitation.objects.select_related("program")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("invalid")
    state = invitation.state
    if state != Invitation.State.PENDING:
        raise InvitationUnusable(state)
    return invitation


def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Create the invitee's login. The invitation proved the address, so it is verified."""
    with transaction.atomic():
        invitation = invitation_for_token(token=token)
        # Lock the row: two tabs submitting at once create one user.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != Invitation.State.PENDING:
            raise InvitationUnusable(invitation.state)
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email,
                    password=password,
                    full_name=full_name.strip() or invitation.full_name,
                    role=invitation.role,
                    program=invitation.program,
                )
        except (IntegrityError, ValidationError) as exc:
            raise InvitationUnusable("taken") from exc
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


# --- Personal API tokens ---------------------------------------------------------


@dataclass(frozen=True)
class IssuedApiToken:
    label: ApiTokenLabel
    # The raw token exists only here, in memory, long enough to show it once.
    token: str


def api_token_create(*, user: User, name: str) -> IssuedApiToken:
    """A personal API token, stored as a digest, expiring after
    PEERPATH_API_TOKEN_DAYS. The view asks for the second factor first."""
    if not selectors.has_totp(user):
        raise PermissionDenied(
            gettext("Set up two-factor authentication before creating an API token.")
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("Give the token a name, such as what will use it.")})
    with transaction.atomic():
        token, raw = AuthToken.objects.create(
            user=user, expiry=timedelta(days=settings.PEERPATH_API_TOKEN_DAYS)
        )
        label = ApiTokenLabel.objects.create(token=token, name=name)
    return IssuedApiToken(label=label, token=raw)


@transaction.atomic
def api_token_revoke(*, label: ApiTokenLabel, revoked_by: User) -> None:
    if not can_revoke_api_token(revoked_by, label):
        raise PermissionDenied(gettext("You cannot revoke this token."))
    # Deleting knox's token deletes the label with it.
    AuthToken.objects.filter(pk=label.token_id).delete()


# --- Sessions ----------------------------------------------------------------------


@transaction.atomic
def session_record(*, user: User, session_key: str) -> None:
    """Remember that this session belongs to the user (see end_every_login)."""
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


@transaction.atomic
def end_every_login(*, user: User) -> None:
    """Sign the user out everywhere: every session, personal token and
    operator token. On sign-out, deactivation and a new password."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    UserSession.objects.filter(user=user).delete()
    AuthToken.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()


@transaction.atomic
def forget_ended_logins() -> None:
    """Records of sessions that have ended (expired, signed out) and personal
    tokens past their expiry: knox deletes an expired token only when it is
    presented."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = getattr(store, "get_model_class", None)
    if model is not None:  # a database session engine
        UserSession.objects.exclude(session_key__in=model().objects.values("session_key")).delete()
    AuthToken.objects.filter(expiry__lt=timezone.now()).delete()


# --- People: deactivate, reactivate, change role ---------------------------------


def _lock_person(person: User, *, changed_by: User) -> User:
    if not can_manage_people(changed_by):
        raise PermissionDenied(gettext("Only admins change people's accounts."))
    if person.pk == changed_by.pk:
        raise ValidationError(
            gettext("You cannot change your own account here: ask another admin.")
        )
    return User.objects.select_for_update(of=("self",)).select_related("program").get(pk=person.pk)


def _refuse_if_held_back(person: User, *, change: Change, changed_by: User) -> None:
    reasons = refusals(person, change=change, by=changed_by)
    if reasons:
        raise ValidationError(reasons)


@transaction.atomic
@submitted_once
def person_deactivate(*, person: User, deactivated_by: User) -> User:
    """Stop the person signing in. Their records stay; every session and API
    token ends (the save's receiver calls end_every_login). A mentor hands
    their mentees over first (mentorship's refusal)."""
    person = _lock_person(person, changed_by=deactivated_by)
    if not person.is_active:
        raise ValidationError(gettext("%(person)s is already deactivated.") % {"person": person})
    change = Change("deactivate")
    _refuse_if_held_back(person, change=change, changed_by=deactivated_by)
    person.is_active = False
    person.save(update_fields=["is_active"])
    after_change(person, change=change, by=deactivated_by)
    return person


@transaction.atomic
@submitted_once
def person_reactivate(*, person: User, reactivated_by: User) -> User:
    """Let the person sign in again, with the role and program they had."""
    person = _lock_person(person, changed_by=reactivated_by)
    if person.is_active:
        raise ValidationError(gettext("%(person)s is already active.") % {"person": person})
    person.is_active = True
    person.save(update_fields=["is_active"])
    after_change(person, change=Change("reactivate"), by=reactivated_by)
    return person


STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.MENTOR)


@transaction.atomic
@submitted_once
def person_change_role(
    *, person: User, role: str, changed_by: User, program: Program | None = None
) -> User:
    """Change a staff member's role (admin, coordinator, mentor). Mentees are
    records, not staff: no change to or from mentee. A mentor hands their
    mentees over first. An admin made coordinator or mentor joins `program`;
    anyone made admin leaves theirs. A role that requires a second factor
    (PEERPATH_MFA_REQUIRED_ROLES) asks for it at the person's next request."""
    person = _lock_person(person, changed_by=changed_by)
    if role not in Role.values:
        raise ValidationError({"role": gettext("Choose admin, coordinator or mentor.")})
    if Role.MENTEE in (role, person.role):
        raise ValidationError(
            {
                "role": gettext(
                    "Mentees are records, not staff: a role cannot change to or from mentee."
                )
            }
        )
    if role == person.role:
        raise ValidationError(
            {
                "role": gettext("%(person)s is already %(role)s.")
                % {"person": person, "role": person.get_role_display()}
            }
        )
    change = Change("role", role=role)
    _refuse_if_held_back(person, change=change, changed_by=changed_by)
    if role == Role.ADMIN:
        person.program = None
    elif person.role == Role.ADMIN:
        if program is None:
            raise ValidationError({"program": gettext("Choose the program this person joins.")})
        person.program = program
    person.role = role
    person.full_clean(exclude=["password"])
    person.save(update_fields=["role", "program"])
    after_change(person, change=change, by=changed_by)
    return person


@transaction.atomic
@submitted_once
def person_move(
    *, person: User, program: Program, moved_by: User, handoff_summary: str = ""
) -> User:
    """Move a coordinator, mentor or mentee to another program. A mentor hands
    their mentees over first; a mentee's active assignment ends with the
    handoff summary (mentorship's step) and their record moves with them, so
    its history stays with the person."""
    person = _lock_person(person, changed_by=moved_by)
    if person.role == Role.ADMIN:
        raise ValidationError(gettext("Admins belong to no program."))
    if program.pk == person.program_id:
        raise ValidationError(
            {
                "program": gettext("%(person)s is already in %(program)s.")
                % {"person": person, "program": program}
            }
        )
    change = Change("move", program=program, handoff_summary=handoff_summary.strip())
    _refuse_if_held_back(person, change=change, changed_by=moved_by)
    person.program = program
    person.save(update_fields=["program"])
    after_change(person, change=change, by=moved_by)
    return person
