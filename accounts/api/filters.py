"""Query parameters of the accounts API lists (the people page's filters too)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from core.api.filters import IdFilter, TextFilter

from .. import selectors
from ..models import Invitation, Role

ACTIVE_CHOICES = [("true", "active"), ("false", "deactivated")]


class ProgramFilter(django_filters.FilterSet):
    state = TextFilter(lookup_expr="iexact", label="the two-letter state code")
    county = TextFilter(lookup_expr="iexact")


class InvitationFilter(django_filters.FilterSet):
    program = IdFilter(label="the program's id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    state = django_filters.ChoiceFilter(
        choices=Invitation.State.choices, method="in_state", label="where the invitation stands"
    )

    def in_state(self, queryset, name, value):
        now = timezone.now()
        open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return queryset.filter(
            {
                Invitation.State.ACCEPTED: Q(accepted_at__isnull=False),
                Invitation.State.REVOKED: Q(accepted_at__isnull=True, revoked_at__isnull=False),
                Invitation.State.EXPIRED: open_ & Q(expires_at__lte=now),
                Invitation.State.PENDING: open_ & Q(expires_at__gt=now),
            }[value]
        )


class PeopleFilter(django_filters.FilterSet):
    program = IdFilter(label="the program's id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES, label="true: active logins; false: deactivated ones"
    )

    def filter_queryset(self, queryset):
        # The people page filters with the same selector: one rule for both.
        data = self.form.cleaned_data
        return selectors.filter_people(
            queryset,
            program_id=data.get("program"),
            role=data.get("role") or "",
            active={"true": True, "false": False}.get(data.get("active") or ""),
        )
