"""Drafts of long forms, kept on the server for their author only.

Every long form (a check-in, the intake, a goal, the safety plan, a BARC-10,
continuing education, a new certification, a mentor's profile) autosaves
what is typed through this module, so that a long answer survives an idle
sign-out, a closed tab or a reload. Nothing is kept
in the browser: the values are rows of FormDraft, read back only by the user
who typed them, on the form's own page.

- The form's view: `draft = drafts.offer(request, DraftOf(form=..., shown_on=...),
  url=<its draft URL>)`; an unbound form takes `draft.initial()` as its
  values. The template has partials/_draft_restored.html above the form
  ("We restored your unsaved draft", "Discard draft") and
  partials/_draft_autosave.html inside it (the page's token, the htmx
  autosave a few seconds after typing stops, the "Draft saved" line).
- The draft URL: `drafts.draft_view(access, FormClass)`. `access(request,
  **url)` refuses as the form's view does (404 out of reach, 403 not
  allowed) and says which form the draft is of.
- Once the service has saved the record: `drafts.finish(request, form)`.

Only the form's own fields are kept, never a file or a one-time token; a
restored form gets a new token (core.once), so it saves a new record.

The check-in form is the one form with its own URLs and service
(checkins.services.draft_save): its idempotency key is its page's token, and
a draft carrying a key already used keeps nothing. It keeps its rows here
all the same, through `kept`, `is_open`, `draft_save`, `draft_discard` and
`drop`.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .models import FormDraft

PAGE_FIELD = "draft_page"  # the page's token, sent with the autosave and with Save
ACTION_FIELD = "draft"  # "discard" drops the draft; anything else saves it
NOT_KEPT = ("once_token",)


@dataclass(frozen=True)
class DraftOf:
    """Which form a draft is of: the path its form posts to (the draft's
    key), and the page it is shown on ("Discard draft" goes back there)."""

    form: str
    shown_on: str


@dataclass(frozen=True)
class DraftPage:
    """A form's page as drafts see it: where it autosaves, the token of this
    page, and the draft it brought back (None when it brought none)."""

    url: str
    page: uuid.UUID
    restored: FormDraft | None

    def initial(self) -> dict:
        return dict(self.restored.data) if self.restored else {}


def _has_values(data: dict) -> bool:
    return any(value not in ("", None, []) for value in data.values())


def _page_of(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(PAGE_FIELD, ""))
    except ValueError:
        return None


def offer(
    request: HttpRequest, of: DraftOf, *, url: str, shown_again: bool | None = None
) -> DraftPage:
    """The draft of this form for the page: the user's own draft, if it holds
    anything, with a new token; or, for a form shown again with its errors
    (by default: on a POST), the token it was sent with and no draft (the
    form has the values)."""
    if request.method == "POST" if shown_again is None else shown_again:
        return DraftPage(url=url, page=_page_of(request) or uuid.uuid4(), restored=None)
    draft = kept(author=request.user, form=of.form)
    restored = draft if draft is not None and _has_values(draft.data) else None
    return DraftPage(url=url, page=uuid.uuid4(), restored=restored)


def kept(*, author, form: str) -> FormDraft | None:
    """The author's open draft of this form, if any."""
    return FormDraft.objects.filter(author=author, form=form, finished=False).first()


def is_open(*, author, form: str) -> Exists:
    """Whether the author has an open draft of this form, for an annotation."""
    return Exists(FormDraft.objects.filter(author=author, form=form, finished=False))


def _lock_author(author) -> None:
    # One author's saves, finishes and discards of drafts queue here: a late
    # autosave and the Save it raced cannot both create the row.
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()


def draft_save(*, author, form: str, page: uuid.UUID, data: dict) -> FormDraft | None:
    """Keep what is typed so far. An autosave from a page whose form was
    saved (it arrived after the Save) keeps nothing: returns None."""
    with transaction.atomic():
        _lock_author(author)
        draft = FormDraft.objects.filter(author=author, form=form).first()
        if draft is not None and draft.finished and draft.page == page:
            return None
        draft, _ = FormDraft.objects.update_or_create(
            author=author, form=form, defaults={"page": page, "data": data, "finished": False}
        )
    return draft


def draft_discard(*, author, form: str) -> None:
    with transaction.atomic():
        _lock_author(author)
        drop(author=author, form=form)


def drop(*, author, form: str) -> None:
    """Delete the draft, for a caller whose own lock already queues every
    write of this form's drafts (the check-in's: the mentee's row)."""
    FormDraft.objects.filter(author=author, form=form).delete()


def finish(request: HttpRequest, form: str) -> None:
    """The form is saved: wipe its draft, and remember the page it came from
    so that a late autosave of that page keeps nothing."""
    page = _page_of(request)
    author: Any = request.user  # signed in: the form's view requires it
    with transaction.atomic():
        _lock_author(author)
        if page is None:
            drop(author=author, form=form)
            return
        FormDraft.objects.update_or_create(
            author=author, form=form, defaults={"page": page, "data": {}, "finished": True}
        )


def kept_fields(
    form_class: type[forms.BaseForm], extra: Iterable[str] = (), leave_out: Iterable[str] = ()
) -> dict[str, bool]:
    """The fields a draft of this form keeps, each with whether it holds a
    list (several checkboxes): every field but files, one-time tokens and
    `leave_out`; `extra` are fields the form adds when it is made."""
    skip = set(NOT_KEPT) | set(leave_out)
    fields = {
        name: isinstance(field, forms.MultipleChoiceField)
        for name, field in form_class.base_fields.items()  # type: ignore[attr-defined]
        if name not in skip and not isinstance(field, forms.FileField)
    }
    return fields | dict.fromkeys(extra, False)


def draft_view(
    access: Callable[..., DraftOf],
    form_class: type[forms.BaseForm],
    *,
    extra_fields: Iterable[str] = (),
    leave_out: Iterable[str] = (),
):
    """The draft URL of a form: the htmx autosave (200, the "Draft saved"
    line) and "Discard draft" (back to the form)."""
    kept = kept_fields(form_class, extra_fields, leave_out)

    @login_required
    @require_POST
    def view(request: HttpRequest, **url) -> HttpResponse:
        of = access(request, **url)
        if request.POST.get(ACTION_FIELD) == "discard":
            draft_discard(author=request.user, form=of.form)
            return redirect(of.shown_on)
        data = {
            name: request.POST.getlist(name) if several else request.POST.get(name, "")
            for name, several in kept.items()
        }
        page = _page_of(request) or uuid.uuid4()
        draft = draft_save(author=request.user, form=of.form, page=page, data=data)
        if draft is None:
            return HttpResponse(gettext("This form is already saved."))
        return HttpResponse(
            gettext("Draft saved at %(time)s")
            % {"time": f"{timezone.localtime(draft.updated_at):%H:%M:%S}"}
        )

    view.__name__ = view.__qualname__ = f"draft_of_{form_class.__name__}"
    return view
