"""Consents, disclosures, the directory and referrals: the rules.

Every disclosure goes through `_disclose`: it finds the covering consent,
locks it, checks again that it is not revoked (a revocation that commits
first wins), and writes the Disclosure row in the same transaction.
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import Program, User
from certification.storage import validate_upload
from checkins.models import CheckIn
from checkins.services import checkin_log
from core.constraints import plain_violations
from core.dates import program_today
from core.stale import refuse_if_changed
from mentorship.models import MenteeProfile
from mentorship.permissions import can_manage_mentees, can_work_with_mentee

from .choices import (
    EVERY_CATEGORY,
    REFERRAL_NEXT,
    DisclosureKind,
    InformationCategory,
    Purpose,
    RecipientKind,
    ReferralMode,
    ReferralStatus,
    ServiceCategory,
    SignedVia,
)
from .consents import Recipient, consent_covering, same_name
from .models import Consent, Disclosure, Referral, Resource

NO_CONSENT = gettext_noop(
    "No active consent of the mentee names this recipient for this purpose and "
    "covers this information. Without one, the referral can only be information "
    "given to the mentee."
)


# --- Consent ------------------------------------------------------------------


def _consent_terms(
    *,
    mentee: MenteeProfile,
    categories: Iterable[str],
    recipient_kind: str = RecipientKind.NAMED,
    recipient_name: str = "",
    recipient_resource: Resource | None = None,
    purpose: str,
    purpose_detail: str = "",
    expires_on: date | None = None,
    expiry_event: str = "",
) -> dict:
    """What a consent says, checked: the one check of the terms, for the
    portal (consent_sign) and staff (consent_record), which pass their
    `**terms` here unchanged."""
    errors: dict[str, str] = {}
    categories = list(dict.fromkeys(categories))
    if not categories or not set(categories) <= set(InformationCategory.values):
        errors["categories"] = gettext("Choose what information the consent covers.")
    if purpose not in Purpose.values:
        errors["purpose"] = gettext("Choose the purpose.")
    elif purpose == Purpose.OTHER and not purpose_detail.strip():
        errors["purpose_detail"] = gettext("Say what the other purpose is.")
    if recipient_kind == RecipientKind.GENERAL:
        if purpose != Purpose.TREATMENT:
            errors["recipient_kind"] = gettext(
                "A general designation is only for treatment, payment and health care operations."
            )
        recipient_name, recipient_resource = "", None
    elif recipient_kind == RecipientKind.NAMED:
        if recipient_resource is not None:
            if recipient_resource.program_id != mentee.program_id:
                errors["recipient_resource"] = gettext(
                    "Choose a resource of the program's directory."
                )
            recipient_name = recipient_name.strip() or recipient_resource.organisation
        if not recipient_name.strip():
            errors["recipient_name"] = gettext(
                "Name the person or organisation who may receive it."
            )
    else:
        errors["recipient_kind"] = gettext("Choose who may receive the information.")
    today = program_today(mentee.program)
    if expires_on is None and not expiry_event.strip():
        errors["expires_on"] = gettext("Give the date or the event on which the consent ends.")
    elif expires_on is not None and expires_on < today:
        errors["expires_on"] = gettext("The consent cannot end before today.")
    if errors:
        raise ValidationError(errors)
    return {
        "mentee": mentee,
        "categories": categories,
        "recipient_kind": recipient_kind,
        "recipient_name": recipient_name.strip(),
        "recipient_resource": recipient_resource,
        "purpose": purpose,
        "purpose_detail": purpose_detail.strip(),
        "expires_on": expires_on,
        "expiry_event": expiry_event.strip(),
    }


def name_on_record(mentee: MenteeProfile) -> str:
    """The full name a signature must match: the legal name, else the login's."""
    if mentee.legal_name:
        return mentee.legal_name
    return mentee.user.full_name if mentee.user is not None else ""


@transaction.atomic
def consent_sign(
    *,
    mentee: MenteeProfile,
    signer: User,
    signed_name: str,
    agreed: bool,
    ip: str = "",
    **terms,
) -> Consent:
    """The mentee signs in their own portal: typed full name, an explicit
    checkbox, the time and the address they signed from."""
    if mentee.user_id is None or mentee.user_id != signer.pk:
        raise PermissionDenied(gettext("Only the mentee signs a consent in the portal."))
    terms = _consent_terms(mentee=mentee, **terms)
    errors = {}
    if not agreed:
        errors["agreed"] = gettext("Tick the box to say you agree.")
    if not same_name(signed_name, name_on_record(mentee)):
        errors["signed_name"] = gettext("Type your full name as it is on your record.")
    if errors:
        raise ValidationError(errors)
    return Consent.objects.create(
        **terms,
        signed_via=SignedVia.PORTAL,
        signed_name=" ".join(signed_name.split()),
        signed_at=timezone.now(),
        signed_ip=ip,
        recorded_by=signer,
    )


@transaction.atomic
def consent_record(
    *,
    mentee: MenteeProfile,
    recorded_by: User,
    signed_name: str,
    signed_on: date,
    signed_form=None,
    **terms,
) -> Consent:
    """Staff record a consent the mentee signed on paper, with the signed
    form uploaded (the page asks for it; through the API it is optional, sent
    as multipart/form-data)."""
    if not can_work_with_mentee(recorded_by, mentee):
        raise PermissionDenied(
            gettext("Only the mentee's mentor or coordinators record a consent.")
        )
    terms = _consent_terms(mentee=mentee, **terms)
    today = program_today(mentee.program)
    if signed_on > today:
        raise ValidationError({"signed_on": gettext("A consent cannot be signed in the future.")})
    if not signed_name.strip():
        raise ValidationError({"signed_name": gettext("Give the name the mentee signed with.")})
    now = timezone.now()
    # Signed on an earlier day: the start of that day where the program is.
    signed_at = (
        now
        if signed_on == today
        else datetime.combine(signed_on, time(), tzinfo=ZoneInfo(mentee.program.time_zone))
    )
    if signed_form is not None:
        try:
            validate_upload(signed_form)
        except ValidationError as exc:
            raise ValidationError({"signed_form": exc.messages}) from exc
    return Consent.objects.create(
        **terms,
        signed_form=signed_form or "",
        signed_via=SignedVia.STAFF,
        signed_name=" ".join(signed_name.split()),
        signed_at=signed_at,
        recorded_by=recorded_by,
    )


def lock_consent(pk: int) -> Consent:
    """The consent, locked, as last committed: a revocation and a disclosure
    under it take this lock, so whichever comes second sees the first."""
    return Consent.objects.select_for_update().get(pk=pk)


def can_revoke_consent(user, consent: Consent) -> bool:
    mentee = consent.mentee
    return (mentee.user_id is not None and mentee.user_id == user.pk) or can_work_with_mentee(
        user, mentee
    )


@transaction.atomic
def consent_revoke(*, consent: Consent, by: User, note: str = "") -> Consent:
    """Revoke at once. A second revocation (a double click, a race) answers
    with the first one."""
    if not can_revoke_consent(by, consent):
        raise PermissionDenied(
            gettext("Only the mentee, their mentor or coordinators revoke a consent.")
        )
    locked = lock_consent(consent.pk)
    if locked.revoked_at is None:
        Consent.objects.filter(pk=locked.pk, revoked_at__isnull=True)._revoke(
            revoked_at=timezone.now(), revoked_by=by, revocation_note=note.strip()[:300]
        )
    return Consent.objects.select_related("mentee__program").get(pk=consent.pk)


# --- Disclosure ---------------------------------------------------------------


def _disclose(
    *,
    mentee: MenteeProfile,
    recipient: Recipient,
    purpose: str,
    categories: Iterable[str],
    by: User,
    kind: str,
    referral: Referral | None = None,
    checkin: CheckIn | None = None,
) -> Disclosure:
    """Record information leaving the program, under the consent that covers
    it, or refuse. Call inside a transaction."""
    categories = sorted(set(categories))
    consent = consent_covering(
        mentee=mentee, recipient=recipient, purpose=purpose, categories=categories
    )
    if consent is None:
        raise ValidationError(gettext(NO_CONSENT))
    # Lock, then check again: a revocation committed meanwhile wins.
    if lock_consent(consent.pk).revoked_at is not None:
        raise ValidationError(gettext(NO_CONSENT))
    return Disclosure.objects.create(
        mentee=mentee,
        consent=consent,
        kind=kind,
        recipient_name=recipient.name,
        resource=recipient.resource,
        purpose=purpose,
        categories=categories,
        referral=referral,
        checkin=checkin,
        disclosed_by=by,
        disclosed_at=timezone.now(),
    )


def _letter_categories(categories: Iterable[str]) -> list[str]:
    chosen = set(categories)
    if InformationCategory.ALL in chosen:
        chosen = set(EVERY_CATEGORY)
    if not chosen or not chosen <= EVERY_CATEGORY:
        raise ValidationError({"categories": gettext("Choose what the letter tells.")})
    return sorted(chosen)


@transaction.atomic
def letter_issue(
    *,
    mentee: MenteeProfile,
    by: User,
    recipient: Recipient,
    purpose: str,
    categories: Iterable[str],
) -> Disclosure:
    """A referral or progress letter for an outside recipient: refused
    without a consent covering it; its Disclosure row is what the letter
    page prints."""
    if not can_work_with_mentee(by, mentee):
        raise PermissionDenied(gettext("Only the mentee's mentor or coordinators write a letter."))
    if recipient.resource is not None and recipient.resource.program_id != mentee.program_id:
        raise ValidationError(
            {"resource": gettext("Choose a resource of the program's directory.")}
        )
    if not recipient.name.strip():
        raise ValidationError({"recipient_name": gettext("Name who the letter is for.")})
    return _disclose(
        mentee=mentee,
        recipient=recipient,
        purpose=purpose,
        categories=_letter_categories(categories),
        by=by,
        kind=DisclosureKind.LETTER,
    )


# --- Resource directory ---------------------------------------------------------


def can_maintain_directory(user, program: Program) -> bool:
    return can_manage_mentees(user, program)


RESOURCE_FIELDS = (
    "organisation", "categories", "address", "phone", "website", "hours", "languages",
    "accepts_medi_cal", "accepting_new_clients", "notes", "last_verified_on",
)  # fmt: skip


def _resource_rules(program: Program, fields: dict, *, exclude_pk=None) -> dict[str, str]:
    errors = {}
    if not str(fields.get("organisation", "")).strip():
        errors["organisation"] = gettext("Name the organisation.")
    categories = fields.get("categories") or []
    if not categories or not set(categories) <= set(ServiceCategory.values):
        errors["categories"] = gettext("Choose at least one service category.")
    verified = fields.get("last_verified_on")
    if verified is not None and verified > program_today(program):
        errors["last_verified_on"] = gettext("The verification date cannot be in the future.")
    same = Resource.objects.filter(
        program=program, organisation__iexact=str(fields.get("organisation", "")).strip()
    ).exclude(pk=exclude_pk)
    if "organisation" not in errors and same.exists():
        errors["organisation"] = gettext("The directory already has this organisation.")
    return errors


def _save_resource(resource: Resource) -> Resource:
    # Two coordinators adding the same organisation at once: the second is
    # told so beside the organisation (resource_organisation_unique_in_program).
    with plain_violations():
        resource.save()
    return resource


def resource_create(*, program: Program, by: User, **fields) -> Resource:
    if not can_maintain_directory(by, program):
        raise PermissionDenied(gettext("Only the program's coordinators maintain the directory."))
    errors = _resource_rules(program, fields)
    if errors:
        raise ValidationError(errors)
    fields["organisation"] = fields["organisation"].strip()
    return _save_resource(Resource(program=program, **fields))


@transaction.atomic
def resource_update(
    *, resource: Resource, by: User, seen: dict | None = None, **fields
) -> Resource:
    """`seen`: what the editor's form showed (core.stale); refused if the
    entry changed since. The entry's row is locked until saved."""
    if not can_maintain_directory(by, resource.program):
        raise PermissionDenied(gettext("Only the program's coordinators maintain the directory."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    refuse_if_changed(resource, seen)
    merged = {name: getattr(resource, name) for name in RESOURCE_FIELDS} | fields
    errors = _resource_rules(resource.program, merged, exclude_pk=resource.pk)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(resource, name, value.strip() if name == "organisation" else value)
    return _save_resource(resource)


def resources_check(*, program: Program, rows: list[dict]) -> list[dict]:
    """The directory's rules for every row of an import (the preview): a
    ValidationError listing each bad row, or the rows."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for number, fields in enumerate(rows, start=2):  # row 1 is the header
        problems = _resource_rules(program, fields)
        key = str(fields.get("organisation", "")).strip().casefold()
        if key and key in seen:
            problems["organisation"] = gettext("This organisation is in the file twice.")
        seen.add(key)
        if problems:
            errors[f"row {number}"] = sorted(problems.values())
    if errors:
        raise ValidationError(
            [f"{row}: {message}" for row, messages in errors.items() for message in messages]
        )
    return rows


@transaction.atomic
def resources_import(*, program: Program, by: User, rows: list[dict]) -> list[Resource]:
    """Save every row of an import, or none: one bad row refuses the file."""
    if not can_maintain_directory(by, program):
        raise PermissionDenied(gettext("Only the program's coordinators maintain the directory."))
    resources_check(program=program, rows=rows)
    created = [
        Resource(program=program, **(fields | {"organisation": fields["organisation"].strip()}))
        for fields in rows
    ]
    try:
        return Resource.objects.bulk_create(created)
    except IntegrityError as exc:
        raise ValidationError(
            gettext("The directory already has an organisation of this file.")
        ) from exc


# --- Referral -----------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    mentee: MenteeProfile,
    by: User,
    category: str,
    reason: str,
    mode: str,
    resource: Resource | None = None,
    organisation: str = "",
    shared_categories: Iterable[str] = (),
    purpose: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """A referral, proposed. A warm handoff names what it will share and the
    purpose, and needs a consent covering them now; it is checked again (and
    the disclosure recorded) when the referral is sent."""
    if not can_work_with_mentee(by, mentee):
        raise PermissionDenied(gettext("Only the mentee's mentor or coordinators make a referral."))
    errors: dict[str, str] = {}
    if category not in ServiceCategory.values:
        errors["category"] = gettext("Choose the kind of service.")
    if resource is not None and resource.program_id != mentee.program_id:
        errors["resource"] = gettext("Choose a resource of the program's directory.")
    if resource is None and not organisation.strip():
        errors["organisation"] = gettext("Choose a resource or name the organisation.")
    if not reason.strip():
        errors["reason"] = gettext("Say why the mentee is referred.")
    today = program_today(mentee.program)
    if follow_up_on is not None and follow_up_on < today:
        errors["follow_up_on"] = gettext("The follow-up date cannot be in the past.")
    shared = sorted(set(shared_categories))
    if InformationCategory.ALL in shared:
        shared = sorted(EVERY_CATEGORY)
    consent = None
    if mode == ReferralMode.INFORMATION_ONLY:
        shared, purpose = [], ""
    elif mode == ReferralMode.WARM_HANDOFF:
        if not shared or not set(shared) <= EVERY_CATEGORY:
            errors["shared_categories"] = gettext("Choose what the warm handoff shares.")
        if purpose not in Purpose.values:
            errors["purpose"] = gettext("Choose the purpose of sharing.")
    else:
        errors["mode"] = gettext("Choose warm handoff or information only.")
    if errors:
        raise ValidationError(errors)
    if mode == ReferralMode.WARM_HANDOFF:
        recipient = Recipient.of(resource) if resource else Recipient(name=organisation.strip())
        consent = consent_covering(
            mentee=mentee, recipient=recipient, purpose=purpose, categories=shared
        )
        if consent is None:
            raise ValidationError({"mode": gettext(NO_CONSENT)})
    return Referral.objects.create(
        mentee=mentee,
        category=category,
        resource=resource,
        organisation="" if resource else organisation.strip(),
        reason=reason.strip(),
        referred_by=by,
        mode=mode,
        consent=consent,
        shared_categories=shared,
        purpose=purpose,
        proposed_on=today,
        follow_up_on=follow_up_on,
    )


@transaction.atomic
def referral_move(
    *, referral: Referral, by: User, to_status: str, reason: str = "", on: date | None = None
) -> Referral:
    """Move a referral on (proposed → sent → accepted | declined → connected
    | not connected), dated. Sending a warm handoff discloses: refused when
    no consent covers it any more. Moving twice to the same status answers
    like the first time."""
    if not can_work_with_mentee(by, referral.mentee):
        raise PermissionDenied(
            gettext("Only the mentee's mentor or coordinators update a referral.")
        )
    locked = Referral.objects.select_for_update(of=("self",)).select_related(
        "mentee__program", "resource"
    )
    referral = locked.get(pk=referral.pk)
    if referral.status == to_status:
        return referral
    if to_status not in REFERRAL_NEXT.get(ReferralStatus(referral.status), set()):
        raise ValidationError(
            {
                "status": gettext("A %(status)s referral cannot become %(next)s.")
                % {
                    "status": referral.get_status_display(),
                    "next": dict(ReferralStatus.choices).get(to_status, to_status),
                }
            }
        )
    today = program_today(referral.mentee.program)
    day = on or today
    if day > today:
        raise ValidationError({"on": gettext("The date cannot be in the future.")})
    if day < referral.proposed_on:
        raise ValidationError(
            {"on": gettext("The date cannot be before the referral was proposed.")}
        )
    if to_status == ReferralStatus.NOT_CONNECTED and not reason.strip():
        raise ValidationError({"reason": gettext("Say why the mentee was not connected.")})
    if to_status == ReferralStatus.SENT:
        referral.sent_on = day
        if referral.mode == ReferralMode.WARM_HANDOFF:
            resource = referral.resource
            _disclose(
                mentee=referral.mentee,
                recipient=Recipient.of(resource)
                if resource
                else Recipient(name=referral.organisation),
                purpose=referral.purpose,
                categories=referral.shared_categories,
                by=by,
                kind=DisclosureKind.REFERRAL,
                referral=referral,
            )
    elif to_status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.answered_on = day
    else:
        referral.outcome_on = day
        referral.not_connected_reason = (
            reason.strip()[:300] if to_status == ReferralStatus.NOT_CONNECTED else ""
        )
    referral.status = to_status
    referral.save()
    return referral


# --- Collateral contact ---------------------------------------------------------


@transaction.atomic
def collateral_contact_record(
    *,
    mentee: MenteeProfile,
    by: User,
    collateral_name: str,
    collateral_role: str,
    collateral_organisation: str = "",
    occurred_at: datetime,
    delivery_method: str,
    duration_minutes: int | None = None,
    notes: str = "",
    shared_categories: Iterable[str] = (),
    purpose: str = "",
) -> CheckIn:
    """A contact with someone else about the mentee (a check-in of kind
    collateral). If anything about the mentee was told to them, the consent
    it relied on must cover it: the disclosure is recorded with the contact,
    or neither is."""
    checkin = checkin_log(
        author=by,
        mentee=mentee,
        kind=CheckIn.Kind.COLLATERAL,
        occurred_at=occurred_at,
        delivery_method=delivery_method,
        duration_minutes=duration_minutes,
        notes=notes,
        collateral_name=collateral_name.strip(),
        collateral_role=collateral_role,
        collateral_organisation=collateral_organisation.strip(),
    )
    shared = sorted(set(shared_categories))
    if shared:
        if purpose not in Purpose.values:
            raise ValidationError({"purpose": gettext("Choose the purpose of what was told.")})
        if InformationCategory.ALL in shared:
            shared = sorted(EVERY_CATEGORY)
        # The consent may name the person or their organisation.
        names = [n for n in (collateral_name.strip(), collateral_organisation.strip()) if n]
        recipient = next(
            (
                Recipient(name=name)
                for name in names
                if consent_covering(
                    mentee=mentee, recipient=Recipient(name=name), purpose=purpose,
                    categories=shared,
                )
            ),
            Recipient(name=names[0]),
        )  # fmt: skip
        _disclose(
            mentee=mentee,
            recipient=recipient,
            purpose=purpose,
            categories=shared,
            by=by,
            kind=DisclosureKind.COLLATERAL,
            checkin=checkin,
        )
    return checkin
