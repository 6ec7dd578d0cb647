"""Referral, consent and disclosure URLs that show or change a mentee's
record, for the audit middleware (audit.registry). The directory holds no
mentee data and is not registered."""

from audit.models import Action
from audit.registry import api_result_ids, register

from .models import Consent, Disclosure, Referral


def the_mentee(object_id: str) -> list[int]:
    return [int(object_id)]


def _mentees_of(model):
    def mentees(object_id: str) -> list[int]:
        return list(model.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))

    return mentees


def _listed(model):
    def listed(request, response) -> list[int]:
        ids = api_result_ids(response)
        return list(model.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct())

    return listed


referral_mentees = _mentees_of(Referral)
consent_mentees = _mentees_of(Consent)
disclosure_mentees = _mentees_of(Disclosure)


def register_routes() -> None:
    mentee_reads = [
        "referrals:mentee",
        "referrals:referral_new",
        "referrals:consent_record",
        "referrals:letter_new",
        "referrals:collateral_new",
        "referrals:accounting",
    ]
    for name in mentee_reads:
        register(
            name, action=Action.READ, object_type="mentee", kwarg="mentee_id", mentees=the_mentee
        )
    register(
        "referrals:accounting_csv",
        action=Action.EXPORT,
        object_type="disclosure",
        kwarg="mentee_id",
        mentees=the_mentee,
    )
    for name, object_type in [
        ("referrals:referral_new", "referral"),
        ("referrals:consent_record", "consent"),
        # Making a letter writes its disclosure; printing it is the letter page.
        ("referrals:letter_new", "disclosure"),
        ("referrals:collateral_new", "checkin"),
    ]:
        register(
            name,
            action=Action.CREATE,
            object_type=object_type,
            kwarg="mentee_id",
            mentees=the_mentee,
            methods=["POST"],
        )
    register(
        "referrals:referral_status",
        action=Action.CHANGE,
        object_type="referral",
        kwarg="pk",
        mentees=referral_mentees,
        methods=["POST"],
    )
    register(
        "referrals:consent_revoke",
        action=Action.CHANGE,
        object_type="consent",
        kwarg="pk",
        mentees=consent_mentees,
        methods=["POST"],
    )
    for name in ("referrals:consent_form", "api:consent-form"):
        register(
            name,
            action=Action.DOWNLOAD,
            object_type="consent",
            kwarg="pk",
            mentees=consent_mentees,
        )
    # The letter printed, or downloaded as a PDF: the disclosure it records.
    for name in ("referrals:letter", "referrals:letter_pdf"):
        register(
            name,
            action=Action.PRINT,
            object_type="disclosure",
            kwarg="pk",
            mentees=disclosure_mentees,
        )
    # The API: details name their mentee; lists and creations the listed ones.
    for name, object_type, mentees in [
        ("api:referral-detail", "referral", referral_mentees),
        ("api:consent-detail", "consent", consent_mentees),
        ("api:disclosure-detail", "disclosure", disclosure_mentees),
    ]:
        register(name, action=Action.READ, object_type=object_type, kwarg="pk", mentees=mentees)
    for name, object_type, model in [
        ("api:referral-list", "referral", Referral),
        ("api:consent-list", "consent", Consent),
        ("api:disclosure-list", "disclosure", Disclosure),
    ]:
        register(name, action=Action.LIST, object_type=object_type, listed=_listed(model))
    for name, object_type, model in [
        ("api:referral-list", "referral", Referral),
        ("api:consent-list", "consent", Consent),
    ]:
        register(
            name,
            action=Action.CREATE,
            object_type=object_type,
            listed=_listed(model),
            methods=["POST"],
        )
    for name, object_type, mentees in [
        ("api:referral-status", "referral", referral_mentees),
        ("api:consent-revoke", "consent", consent_mentees),
    ]:
        register(
            name,
            action=Action.CHANGE,
            object_type=object_type,
            kwarg="pk",
            mentees=mentees,
            methods=["POST"],
        )
    # The mentee's own pages name them with audit.shown().
    register("referrals:my_consents", action=Action.READ, object_type="mentee")
    register("referrals:consent_sign", action=Action.READ, object_type="mentee")
    register(
        "referrals:consent_sign", action=Action.CREATE, object_type="consent", methods=["POST"]
    )
