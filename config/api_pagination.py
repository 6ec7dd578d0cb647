from django.core.paginator import Paginator
from django.db.models import Func, IntegerField
from rest_framework.pagination import PageNumberPagination as DrfPageNumberPagination

from core.together import fill_together


class _CountAll(Func):
    """COUNT(*) that Django does not take for an aggregate: selected alone
    from the list's own FROM and WHERE (no GROUP BY), it counts its rows."""

    template = "COUNT(*)"
    output_field = IntegerField()
    contains_aggregate = False


class OneTripPaginator(Paginator):
    """Django's paginator, but the count and the page's rows are read in one
    statement (core.together) where the list allows it: a plain queryset
    without DISTINCT, grouping or a UNION (whose rows a bare COUNT(*) would
    not count) and without orphans. Anything else pages as Django does."""

    def _counts_in_one_trip(self) -> bool:
        query = getattr(self.object_list, "query", None)
        return (
            query is not None
            and self.orphans == 0
            and not query.distinct
            and not query.combinator
            and query.group_by is None
            and not query.is_sliced
            and not any(
                a.contains_aggregate or a.contains_over_clause for a in query.annotations.values()
            )
            and "count" not in self.__dict__
        )

    def page(self, number):
        if not self._counts_in_one_trip():
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # its plain refusal
        if wanted < 1:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        count = self.object_list.order_by().values_list(_CountAll())
        fill_together([count, rows])
        # The cached property, now known (no row: a list that cannot match).
        self.count = count[0][0] if count else 0
        number = self.validate_number(number)
        return self._get_page(rows, number, self)


class PageNumberPagination(DrfPageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = OneTripPaginator
