"""Query parameters of the people list (the people page's filters)."""

import django_filters

from core.api.filters import IdFilter

from .. import selectors
from ..models import Role

ACTIVE_CHOICES = [("true", "active"), ("false", "deactivated")]


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
