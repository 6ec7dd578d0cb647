"""Error reports: off without SENTRY_DSN; with it, an event from a view that
fails while handling a crisis note carries the exception's type and where it
happened, and neither the note, the mentee's name nor the session cookie
(captured in-process by a transport of the test's own)."""

import json

import pytest
import sentry_sdk
from django.conf import settings
from django.urls import reverse
from sentry_sdk.transport import Transport

from checkins import services as checkin_services
from core import error_reports
from tests.checkins.test_pages import form_data

NOTE = "PHI-MARKER said they would not be safe tonight"


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def flush(self, timeout, callback=None):
        return None

    def sent(self) -> list[dict]:
        return [
            json.loads(item.payload.get_bytes())
            for envelope in self.envelopes
            for item in envelope.items
            if item.type in {"event", "transaction"}
        ]

    def raw(self) -> str:
        return "".join(
            item.payload.get_bytes().decode("utf-8", "replace")
            for envelope in self.envelopes
            for item in envelope.items
        )


@pytest.fixture
def transport(settings):
    settings.SENTRY_DSN = "https://publickey@errors.example.invalid/1"
    capture = CapturingTransport()
    assert error_reports.init(transport=capture)
    yield capture
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent by the tests that follow


def test_no_dsn_no_reports():
    assert settings.SENTRY_DSN == ""
    assert error_reports.init() is False


@pytest.mark.django_db
def test_a_view_failing_on_a_crisis_note_reports_neither_the_note_the_name_nor_the_cookie(
    transport, client_for, mentor, mentee_profile, monkeypatch
):
    def fails(*, author, mentee, **fields):
        note = fields.get("crisis_notes")  # a local variable with the note in it
        name = mentee.preferred_name
        raise ValueError(f"could not save {note!r} for {name}")

    monkeypatch.setattr(checkin_services, "checkin_log", fails)
    client = client_for(mentor)
    client.raise_request_exception = False
    response = client.post(
        reverse("checkins:log", args=[mentee_profile.pk]),
        form_data(crisis_flag="on", crisis_notes=NOTE),
        HTTP_USER_AGENT="Mozilla/5.0 test",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    events = transport.sent()
    assert len(events) == 1
    (exception,) = events[0]["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert any(frame.get("function") == "fails" for frame in exception["stacktrace"]["frames"])
    assert events[0]["tags"]["role"] == "mentor"
    raw = transport.raw()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for secret in (
        "PHI-MARKER",
        "not be safe",
        mentee_profile.preferred_name,
        mentee_profile.user.full_name,
        mentee_profile.user.email,
        mentor.email,
        mentor.full_name,
        session,
        "203.0.113.9",
    ):
        assert secret not in raw, secret
    for key in ("request", "user", "extra", "breadcrumbs"):
        assert key not in events[0]


def test_the_scrubber_keeps_only_what_finds_the_bug():
    event = {
        "event_id": "abc",
        "level": "error",
        "exception": {
            "values": [
                {
                    "type": "KeyError",
                    "value": "'Jordan'",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "x.py",
                                "lineno": 3,
                                "vars": {"note": NOTE},
                                "context_line": "note = 'PHI-MARKER'",
                            }
                        ]
                    },
                }
            ]
        },
        "request": {"data": NOTE, "cookies": "sessionid=1", "headers": {"Cookie": "x"}},
        "user": {"email": "a@b"},
        "extra": {"note": NOTE},
        "breadcrumbs": {"values": [{"message": NOTE}]},
        "contexts": {"os": {"name": "Linux"}, "note": {"text": NOTE}},
    }
    clean = error_reports.scrub(event, {})
    assert "PHI-MARKER" not in json.dumps(clean) and "Jordan" not in json.dumps(clean)
    assert clean["exception"]["values"][0]["stacktrace"]["frames"] == [
        {"filename": "x.py", "lineno": 3}
    ]
    assert clean["contexts"] == {"os": {"name": "Linux"}}
    assert error_reports.scrub_breadcrumb(
        {"message": NOTE, "category": "query", "data": {"x": NOTE}}
    ) == {"category": "query"}
