"""The check-in's drafts move to core.FormDraft (core.drafts: one way for
every long form). Each open draft is kept, under the path of the check-in
form it was typed in, with its idempotency key as its page's token."""

import uuid

from django.db import migrations

# The check-in form's path when the drafts moved (checkins:log); written out,
# as a migration must not follow later changes to the URLs.
CHECKIN_FORM = "/checkins/mentees/{mentee_id}/new/"


def _page(data: dict) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("idempotency_key")))
    except ValueError:
        return uuid.uuid4()


def to_core(apps, schema_editor):
    CheckInDraft = apps.get_model("checkins", "CheckInDraft")
    FormDraft = apps.get_model("core", "FormDraft")
    for draft in CheckInDraft.objects.iterator():
        FormDraft.objects.update_or_create(
            author_id=draft.author_id,
            form=CHECKIN_FORM.format(mentee_id=draft.mentee_id),
            defaults={"page": _page(draft.data), "data": draft.data, "finished": False},
        )


def to_checkins(apps, schema_editor):
    CheckInDraft = apps.get_model("checkins", "CheckInDraft")
    FormDraft = apps.get_model("core", "FormDraft")
    prefix, suffix = CHECKIN_FORM.split("{mentee_id}")
    for draft in FormDraft.objects.filter(
        form__startswith=prefix, form__endswith=suffix, finished=False
    ):
        mentee_id = draft.form[len(prefix) : -len(suffix)]
        if mentee_id.isdigit():
            CheckInDraft.objects.update_or_create(
                author_id=draft.author_id, mentee_id=int(mentee_id), defaults={"data": draft.data}
            )
        draft.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0009_checkin_contacts_by_mentee"),
        ("core", "0002_form_draft"),
    ]

    operations = [
        migrations.RunPython(to_core, to_checkins),
        migrations.DeleteModel(name="CheckInDraft"),
    ]
