"""A check-in's database constraints are decided in Python (no SELECT per
constraint on the busiest write), with the database's own verdict on every
boundary; the constraints stay in the table, and a violation that reaches it
still reads as the constraint's plain message."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins import services
from checkins.models import CONSTRAINTS_IN_PYTHON, CheckIn, GroupSession
from core.constraints import violation
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

BASE = {
    "kind": "contact",
    "delivery_method": "in_person",
    "duration_minutes": 30,
    "craving_level": 3,
    "mood": 3,
    "substance_use_days": 0,
    "crisis_flag": False,
    "crisis_notes": "",
}
NO_SCORES = {
    "duration_minutes": None,
    "craving_level": None,
    "mood": None,
    "substance_use_days": None,
}
VARIANTS = [
    {},
    *({"craving_level": n} for n in (None, -1, 0, 10, 11)),
    *({"mood": n} for n in (None, 0, 1, 5, 6)),
    *({"duration_minutes": n} for n in (None, 0, 1, 600, 601)),
    *({"kind": kind, **NO_SCORES} for kind in ("contact", "attempt", "self", "other")),
    # A collateral contact: with whom and their role, and no substance-use data.
    *(
        {"kind": "collateral", **NO_SCORES, "collateral_role": role, "collateral_name": name}
        for role in ("", "family")
        for name in ("", "A. Reyes")
    ),
    *(
        {
            "kind": "collateral",
            **NO_SCORES,
            "collateral_role": "family",
            "collateral_name": "A. Reyes",
            name: 1,
        }
        for name in ("craving_level", "mood", "substance_use_days")
    ),
    {
        "kind": "collateral",
        **NO_SCORES,
        "collateral_role": "family",
        "collateral_name": "A. Reyes",
        "crisis_flag": True,
        "crisis_notes": "x",
    },
    {"collateral_role": "family"},
    {"collateral_name": "A. Reyes"},
    *({"kind": "attempt", **NO_SCORES, name: 1} for name in NO_SCORES),
    {"kind": "attempt", **NO_SCORES, "crisis_flag": True, "crisis_notes": "x"},
    *({"kind": kind, "delivery_method": ""} for kind in ("contact", "attempt", "self")),
    # A group check-in comes from its group, and only a group check-in does.
    *(
        {"kind": kind, "group_session": group}
        for kind in ("group", "contact")
        for group in (None, "one")
    ),  # fmt: skip
    {"crisis_flag": True, "crisis_notes": ""},
    {"crisis_flag": True, "crisis_notes": "x"},
    {"crisis_flag": False, "crisis_notes": "x"},
    *(
        {"voided_at": at, "voided_by": by, "void_reason": why}
        for at in (None, "now")
        for by in (None, "someone")
        for why in ("", "mistake")
    ),
]


def checkin_with(mentee, author, variant) -> CheckIn:
    values = BASE | variant
    if values.get("voided_at") == "now":
        values["voided_at"] = timezone.now()
    if values.get("voided_by") == "someone":
        values["voided_by"] = author
    if values.get("group_session") == "one":
        values["group_session"] = GroupSession(
            pk=1, program_id=mentee.program_id, facilitator=author, created_by=author,
            occurred_at=timezone.now(), duration_minutes=60, delivery_method="in_person", topic="T",
        )  # fmt: skip
    return CheckIn(
        mentee=mentee, author=author, occurred_at=timezone.now() - timedelta(hours=1), **values
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_each_constraint_in_python_says_what_the_database_says(mentee_profile, mentor, variant):
    checkin = checkin_with(mentee_profile, mentor, variant)
    for constraint in CheckIn._meta.constraints:
        holds = CONSTRAINTS_IN_PYTHON[constraint.name]
        try:
            constraint.validate(CheckIn, checkin)  # Django's own check: a query
        except ValidationError:
            database_says = False
        else:
            database_says = True
        assert holds(checkin) is database_says, constraint.name


def test_every_constraint_of_the_table_has_its_python_rule():
    assert {c.name for c in CheckIn._meta.constraints} == set(CONSTRAINTS_IN_PYTHON)


def test_validating_a_checkin_asks_the_database_nothing(
    mentee_profile, mentor, django_assert_num_queries
):
    checkin = checkin_with(mentee_profile, mentor, {"duration_minutes": 601, "mood": 6})
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        checkin.full_clean(exclude=["mentee", "author", "mentor", "voided_by", "idempotency_key"])
    assert refused.value.message_dict["duration_minutes"] == ["Minutes are from 1 to 600."]


def test_the_service_refuses_in_the_constraints_words(mentee_profile, mentor):
    with pytest.raises(ValidationError) as refused:
        services.checkin_log(
            author=mentor,
            mentee=mentee_profile,
            occurred_at=timezone.now() - timedelta(hours=1),
            delivery_method="in_person",
            duration_minutes=601,
        )
    assert refused.value.message_dict == {"duration_minutes": ["Minutes are from 1 to 600."]}


def test_the_database_still_refuses_and_its_refusal_reads_plainly(mentee_profile, mentor):
    require_postgres()  # which constraint refused: PostgreSQL says
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        checkin_with(mentee_profile, mentor, {"duration_minutes": 601}).save()
    assert violation(refused.value).message_dict == {
        "duration_minutes": ["Minutes are from 1 to 600."]
    }


def test_a_rule_that_reaches_the_database_is_a_plain_refusal_not_an_error(
    mentee_profile, mentor, monkeypatch
):
    require_postgres()
    monkeypatch.setattr(services, "_check_rules", lambda checkin: None)
    with pytest.raises(ValidationError) as refused:
        services.checkin_log(
            author=mentor,
            mentee=mentee_profile,
            occurred_at=timezone.now() - timedelta(hours=1),
            delivery_method="in_person",
            duration_minutes=601,
        )
    assert refused.value.messages == ["Minutes are from 1 to 600."]
    assert not CheckIn.objects.exists()
