"""Query parameters of the referrals API lists."""

import django_filters

from core.api.filters import IdFilter, TextFilter

from ..choices import ReferralStatus, ServiceCategory


class MenteeFilter(django_filters.FilterSet):
    mentee = IdFilter(label="the mentee record's id")


class ReferralFilter(MenteeFilter):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)


class ResourceFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=ServiceCategory.choices, method="in_category", label="a service category"
    )
    language = TextFilter(method="speaking", label="a language code")
    q = TextFilter(method="matching", label="words in the name, notes or address")

    def in_category(self, queryset, name, value):
        return queryset.in_category(value)

    def speaking(self, queryset, name, value):
        return queryset.speaking(value)

    def matching(self, queryset, name, value):
        from django.db.models import Q

        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(organisation__icontains=word)
                | Q(notes__icontains=word)
                | Q(address__icontains=word)
            )
        return queryset
