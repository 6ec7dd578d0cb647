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

GET, POST = ("GET",), ("POST",)
# Pages on a mentee's record, named by `mentee_id`: (url name, action, object type, methods).
ON_THE_MENTEE = [
    ("referrals:mentee", Action.READ, "mentee", GET),
    ("referrals:referral_new", Action.READ, "mentee", GET),
    ("referrals:consent_record", Action.READ, "mentee", GET),
    ("referrals:letter_new", Action.READ, "mentee", GET),
    ("referrals:collateral_new", Action.READ, "mentee", GET),
    ("referrals:accounting", Action.READ, "mentee", GET),
    ("referrals:accounting_csv", Action.EXPORT, "disclosure", GET),
    ("referrals:referral_new", Action.CREATE, "referral", POST),
    ("referrals:consent_record", Action.CREATE, "consent", POST),
    # Making a letter writes its disclosure; printing it is the letter page.
    ("referrals:letter_new", Action.CREATE, "disclosure", POST),
    ("referrals:collateral_new", Action.CREATE, "checkin", POST),
]
# One object named by `pk` (pages and the API): (url name, action, object type, methods).
ON_ONE = [
    ("referrals:referral_status", Action.CHANGE, "referral", POST),
    ("referrals:consent_revoke", Action.CHANGE, "consent", POST),
    ("referrals:consent_form", Action.DOWNLOAD, "consent", GET),
    # The letter printed, or downloaded as a PDF: the disclosure it records.
    ("referrals:letter", Action.PRINT, "disclosure", GET),
    ("referrals:letter_pdf", Action.PRINT, "disclosure", GET),
    ("api:referral-detail", Action.READ, "referral", GET),
    ("api:consent-detail", Action.READ, "consent", GET),
    ("api:disclosure-detail", Action.READ, "disclosure", GET),
    ("api:referral-status", Action.CHANGE, "referral", POST),
    ("api:consent-revoke", Action.CHANGE, "consent", POST),
    ("api:consent-form", Action.DOWNLOAD, "consent", GET),
]
MENTEES_OF = {
    "referral": referral_mentees,
    "consent": consent_mentees,
    "disclosure": disclosure_mentees,
}
# API lists and creations name the mentees of the rows they answer with.
LISTS = [
    ("api:referral-list", Action.LIST, "referral", Referral, GET),
    ("api:consent-list", Action.LIST, "consent", Consent, GET),
    ("api:disclosure-list", Action.LIST, "disclosure", Disclosure, GET),
    ("api:referral-list", Action.CREATE, "referral", Referral, POST),
    ("api:consent-list", Action.CREATE, "consent", Consent, POST),
]


def register_routes() -> None:
    for name, action, object_type, methods in ON_THE_MENTEE:
        register(
            name,
            action=action,
            object_type=object_type,
            kwarg="mentee_id",
            mentees=the_mentee,
            methods=methods,
        )
    for name, action, object_type, methods in ON_ONE:
        register(
            name,
            action=action,
            object_type=object_type,
            kwarg="pk",
            mentees=MENTEES_OF[object_type],
            methods=methods,
        )
    for name, action, object_type, model, methods in LISTS:
        register(
            name, action=action, object_type=object_type, listed=_listed(model), methods=methods
        )
    # The mentee's own pages name them with audit.shown().
    register("referrals:my_consents", action=Action.READ, object_type="mentee")
    register("referrals:consent_sign", action=Action.READ, object_type="mentee")
    register("referrals:consent_sign", action=Action.CREATE, object_type="consent", methods=POST)
