"""checkins 0010: the check-in's own drafts moved to core.FormDraft, each kept
under the check-in form's path, with its key as its page's token, and found
there by the check-in page."""

import uuid
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.models import FormDraft

pytestmark = pytest.mark.django_db

moved = import_module("checkins.migrations.0010_checkin_drafts_in_core")


class OldDrafts:
    """CheckInDraft as it was (author, mentee, data), without its table."""

    def __init__(self, rows):
        self.objects = SimpleNamespace(iterator=lambda: iter(rows))


def test_open_checkin_drafts_move_to_form_drafts_and_come_back(
    mentor, mentor_client, mentee_profile
):
    key = uuid.uuid4()
    old = SimpleNamespace(
        author_id=mentor.pk,
        mentee_id=mentee_profile.pk,
        data={"notes": "PHI-MARKER half a note", "idempotency_key": str(key)},
    )
    models = {"CheckInDraft": OldDrafts([old]), "FormDraft": FormDraft}
    moved.to_core(SimpleNamespace(get_model=lambda app, name: models[name]), None)
    form = reverse("checkins:log", args=[mentee_profile.pk])
    draft = FormDraft.objects.get()
    assert (draft.author, draft.form, draft.page, draft.finished) == (mentor, form, key, False)
    page = mentor_client.get(form)
    assert page.context["form"].initial["notes"] == "PHI-MARKER half a note"
