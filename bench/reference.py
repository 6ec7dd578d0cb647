"""The reference views Peerpath is measured against, served only with the
bench settings (bench/urls.py). Each goes through the same middleware as the
pages it is compared with (sessions, sign-in, two-factor check, time zone,
CSP, audit), so a ratio is what Peerpath's own code costs.

- `bare`: the floor, a view that answers "ok".
- `reference_list`: an idiomatic Django list page, 50 active assignments of
  the viewer's scope with `select_related`, in the site's base template.
- `reference_json`: a plain JsonResponse of the rows an API list returns on
  its first page: the same viewset's queryset and fields, with `.values()`
  (and one query for a many-to-many field), no serializer.
"""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from checkins.api.views import CheckInViewSet
from mentorship.api.views import MenteeViewSet
from mentorship.models import Assignment

PAGE = 50
VIEWSETS = {"mentees": MenteeViewSet, "checkins": CheckInViewSet}


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def reference_list(request):
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(ended_at__isnull=True)
        .select_related("mentee__program", "schedule")
        .order_by("mentee__preferred_name")[:PAGE]
    )
    return render(request, "bench/reference_list.html", {"assignments": assignments})


def api_rows(resource: str, user):
    """The queryset and the output fields of the API's list for `user`:
    (queryset, [(key, column)], [(key, many-to-many field)])."""
    viewset = VIEWSETS[resource](
        request=SimpleNamespace(user=user), action="list", kwargs={}, format_kwarg=None
    )
    queryset = viewset.get_queryset()
    serializer = viewset.get_serializer_class()()
    model = queryset.model
    columns, many = [], []
    for key, field in serializer.fields.items():
        source = field.source
        try:
            model_field = model._meta.get_field(source)
        except Exception:  # an annotation of the selector's queryset
            if source not in queryset.query.annotations:
                raise LookupError(f"{resource}.{key}: no column for {source!r}") from None
            columns.append((key, source))
            continue
        if model_field.many_to_many:
            many.append((key, model_field))
        else:
            columns.append((key, model_field.attname))
    return queryset, columns, many


@login_required
def reference_json(request, resource: str):
    if resource not in VIEWSETS:
        raise Http404
    queryset, columns, many = api_rows(resource, request.user)
    count = queryset.count()
    rows = list(queryset.values(*(column for _, column in columns))[:PAGE])
    results = [{key: row[column] for key, column in columns} for row in rows]
    for key, field in many:
        through = field.remote_field.through
        own = field.m2m_field_name() + "_id"
        other = field.m2m_reverse_field_name() + "_id"
        by_row: dict = {}
        ids = [row["id"] for row in results]
        for row_id, other_id in through.objects.filter(**{f"{own}__in": ids}).values_list(
            own, other
        ):
            by_row.setdefault(row_id, []).append(other_id)
        for row in results:
            row[key] = by_row.get(row["id"], [])
    return JsonResponse({"count": count, "next": None, "previous": None, "results": results})
