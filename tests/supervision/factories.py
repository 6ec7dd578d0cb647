from datetime import date

from supervision import services
from supervision.models import SupervisionSession, Supervisor
from tests.accounts.factories import program_day


def designate(user, by, *, designated_on: date | None = None, **fields) -> Supervisor:
    terms = {"qualification": "certified_peer", "years_of_experience": 4} | fields
    return services.supervisor_designate(user=user, by=by, designated_on=designated_on, **terms)


def make_session(supervisor_user, mentors, *, held_on=None, minutes=60, **fields):
    terms = {
        "kind": "individual" if len(mentors) == 1 else "group",
        "format": "in_person",
        "topics": ["caseload_review"],
        "notes": "NOTES-MARKER",
    } | fields
    return services.session_record(
        by=supervisor_user,
        held_on=held_on or program_day(),
        duration_minutes=minutes,
        mentors=mentors,
        **terms,
    )


def session_of(pk) -> SupervisionSession:
    return SupervisionSession.objects.get(pk=pk)
