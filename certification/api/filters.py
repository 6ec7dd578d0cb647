"""Query parameters of the certification lists."""

import django_filters

from core.api.filters import IdFilter


class CertificationDocumentFilter(django_filters.FilterSet):
    certification = IdFilter(label="the certification's id")
