"""One record per create form, however often it is sent.

A create form carries a one-time token (`OnceTokenForm`, or `{% once_token %}`
in a form written by hand); the view hands it to
the service as `once=Once(token, user_id)`, and a service wrapped in
`@submitted_once` spends it in the same transaction as the record it makes.
Sent again (the back button, a double click, a retry after a timeout) the
token is found spent and the service returns the record the first call made,
marked `already_saved`, without a second one. Two sends at the same moment
queue on the token's primary key: the second waits for the first to commit
and then gets its record. A service that refuses (ValidationError) rolls the
token back with everything else, so the corrected form can be sent again.

Browsers put back what was typed when a person goes Back, never a hidden
field: static/js/peerpath.js keeps the token a form was sent with for the tab
and sends it again from a page reached by Back (without JavaScript the page
comes with a new token; the check-in and the intake have their own guards:
checkins.services._same_again and "this may be the same person").
"""

import functools
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from .models import FormSubmission

SPENT_ELSEWHERE = gettext_lazy(
    "This form was already used. Open the page again to start a new one."
)


@dataclass(frozen=True)
class Once:
    token: uuid.UUID
    user_id: int


class OnceTokenForm(forms.Form):
    """Adds the hidden one-time token: a new one each time the empty form is
    shown, the sent one again when the form comes back with errors."""

    # Not required: a form sent without one (a script of the county's) is
    # saved as before, only without the protection.
    once_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def once_for(self, user) -> Once | None:
        """The token to hand to the service, taken out of cleaned_data so the
        rest can be passed on as the record's fields."""
        token = self.cleaned_data.pop("once_token", None)
        return Once(token, user.pk) if token else None


def submitted_once(service):
    """Makes a create service return the first call's record when its form's
    token comes again. The service returns the model instance it made."""
    name = f"{service.__module__}.{service.__qualname__}"

    @functools.wraps(service)
    def wrapper(*, once: Once | None = None, **kwargs):
        if once is None:
            return service(**kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(
                        token=once.token, user_id=once.user_id, service=name
                    )
            except IntegrityError:
                return _first_result(once, name)
            result = service(**kwargs)
            FormSubmission.objects.filter(token=once.token).update(
                result_type=ContentType.objects.get_for_model(result), result_id=result.pk
            )
            return result

    return wrapper


def _first_result(once: Once, name: str):
    spent = FormSubmission.objects.filter(token=once.token).select_related("result_type").first()
    if spent is None or spent.user_id != once.user_id or spent.service != name:
        raise ValidationError(SPENT_ELSEWHERE)
    if spent.result_type is None:
        raise ValidationError(SPENT_ELSEWHERE)
    model = spent.result_type.model_class()
    earlier = model._base_manager.filter(pk=spent.result_id).first() if model else None
    if earlier is None:
        raise ValidationError(SPENT_ELSEWHERE)
    earlier.already_saved = True  # type: ignore[attr-defined]
    return earlier


def already_saved(record) -> bool:
    """Whether a service answered with the record an earlier send made."""
    return getattr(record, "already_saved", False)


def is_spent(once: Once | None) -> bool:
    """Whether this form was already saved: a page that would ask a question
    before saving (is this the same person?) answers the resend at once."""
    return once is not None and FormSubmission.objects.filter(token=once.token).exists()
