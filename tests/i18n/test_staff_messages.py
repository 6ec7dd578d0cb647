"""Staff messages built in code read in the reader's language too: the
directory import's per-row errors, a referral's refused move and the API's
Idempotency-Key refusals (the words themselves: tests/referrals, tests/core)."""

from types import SimpleNamespace

import pytest
from django.utils import translation
from rest_framework.exceptions import ValidationError as ApiRefusal

from core.api.idempotency import HEADER, once_from
from referrals.forms import parse_resources_csv

CSV = (
    "organisation,categories,languages,website,accepts_medi_cal,last_verified_on\n"
    "Food Bank,spa,xx,not a site,maybe,someday\n"
)


def test_the_import_says_what_is_wrong_with_each_row_in_spanish():
    with translation.override("es"):
        rows, errors = parse_resources_csv(CSV)
    assert errors == [
        "fila 2: categorías desconocidas: spa.",
        "fila 2: idiomas desconocidos: xx.",
        "fila 2: el sitio web no es una dirección web.",
        "fila 2: accepts_medi_cal debe ser yes o no.",
        "fila 2: last_verified_on debe ser una fecha (AAAA-MM-DD).",
    ]


def test_an_idempotency_key_that_is_no_uuid_is_refused_in_spanish():
    request = SimpleNamespace(headers={HEADER: "twice"}, user=SimpleNamespace(pk=1))
    with translation.override("es"), pytest.raises(ApiRefusal) as refused:
        once_from(request)
    assert refused.value.detail == {HEADER: "Envía un UUID."}


@pytest.mark.django_db
def test_a_referral_that_cannot_move_says_so_in_spanish(mentee_profile, mentor):
    from django.core.exceptions import ValidationError

    from referrals import services
    from tests.referrals.test_follow_ups import make_referral

    referral = make_referral(mentee_profile, mentor)
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.referral_move(referral=referral, by=mentor, to_status="connected")
    assert refused.value.message_dict["status"] == [
        "Una derivación propuesta no puede pasar a conectada."
    ]
    with pytest.raises(ValidationError) as refused:
        services.referral_move(referral=referral, by=mentor, to_status="connected")
    assert refused.value.message_dict["status"] == ["A proposed referral cannot become connected."]
