"""Several querysets read in one statement, each then iterated as usual.

A page that shows several independent lists (a dashboard's panels) pays a
round trip, and the driver's and Django's per-query work, for each. On
PostgreSQL `fill_together` sends them as one SELECT of one column per
queryset: each column aggregates its queryset's rows (its own SQL, ordering
and LIMIT untouched) into a JSON array of positional arrays. Each row is then
turned back into the value the driver would have given (dates, moments,
decimals, JSON) and handed to the queryset's own iterable, so Django's
converters and model, `values()` or `values_list()` building run as they
would, and the queryset is left evaluated (`_result_cache`): iterating it,
`len()` or the template reads no more. Elsewhere (SQLite) each queryset is
simply evaluated.

What it does not spare: `prefetch_related` lookups still run afterwards, one
query each (read the related rows as a queryset of their own to have them in
the same statement). Columns of types JSON cannot carry back (durations,
binary) raise rather than come back altered.
"""

import json
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

_PARSERS = {
    "DateField": date.fromisoformat,
    "DateTimeField": datetime.fromisoformat,
    "TimeField": time.fromisoformat,
    "DecimalField": Decimal,  # read as Decimal already (parse_float), scale kept
    "FloatField": float,
    "UUIDField": UUID,
}
# Django reads json(b) from the driver as text and parses it in from_db_value:
# such columns travel as text inside the array.
_AS_TEXT = {"JSONField"}
_REFUSED = {"DurationField", "BinaryField"}


def fill_together(querysets: Iterable[QuerySet]) -> None:
    """Evaluate every queryset given (those not evaluated yet) in one statement."""
    pending = [qs for qs in querysets if qs._result_cache is None]
    if not pending:
        return
    alias = pending[0].db
    if connections[alias].vendor != "postgresql" or len(pending) == 1:
        for qs in pending:
            qs._fetch_all()
        return
    parts, params, compilers = [], [], []
    for qs in pending:
        compiler = qs.query.get_compiler(using=alias)
        try:
            sql, qs_params = compiler.as_sql()
        except EmptyResultSet:
            qs._result_cache = []
            continue
        names, cells = [], []
        for i, (expr, _, _) in enumerate(compiler.select):
            kind = expr.output_field.get_internal_type()
            if kind in _REFUSED:
                raise ValueError(f"fill_together cannot carry {expr.output_field!r}")
            names.append(f"c{i}")
            cells.append(f"t.c{i}::text" if kind in _AS_TEXT else f"t.c{i}")
        # Columns past the named ones (a DISTINCT's ordering) keep their
        # names and are left out. json_build_array takes up to 100 arguments.
        parts.append(
            # Django's own SQL of each queryset, its parameters kept apart.
            f"(SELECT COALESCE(json_agg(json_build_array({', '.join(cells)})), '[]')::text"  # noqa: S608
            f" FROM ({sql}) AS t({', '.join(names)}))"
        )
        params.extend(qs_params)
        compilers.append((qs, compiler))
    if not parts:
        return
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        columns = cursor.fetchone()
    for (qs, compiler), rows in zip(compilers, columns, strict=True):
        rows = json.loads(rows, parse_float=Decimal)
        parsers = [
            _PARSERS.get(expr.output_field.get_internal_type()) for expr, _, _ in compiler.select
        ]
        typed = [
            tuple(
                value if value is None or parse is None else parse(value)
                for value, parse in zip(row, parsers, strict=True)
            )
            for row in rows
        ]
        _evaluate_from(qs, compiler, typed)


def _evaluate_from(qs: Any, compiler: Any, rows: list[tuple]) -> None:
    """Run the queryset's own iterable over rows already read: its compiler
    answers execute_sql with them instead of asking the database."""

    def execute_sql(*args, **kwargs):
        return iter([rows])

    compiler.execute_sql = execute_sql
    clone_query = qs.query

    def get_compiler(*args, **kwargs):
        return compiler

    qs.query.get_compiler = get_compiler
    try:
        qs._result_cache = list(qs._iterable_class(qs))
    finally:
        del clone_query.get_compiler
    if qs._prefetch_related_lookups and not qs._prefetch_done:
        qs._prefetch_related_objects()  # a query per lookup, afterwards


class Later:
    """Rows read later, together with others (`fill_together`), and then
    shaped: `shape(*lists)` gets each queryset's rows, in order, and gives
    the value. `resolve()` reads them now (one statement) where nothing is
    to be read alongside."""

    def __init__(self, *querysets: QuerySet, shape):
        self.querysets = querysets
        self.shape = shape

    def resolve(self):
        fill_together(self.querysets)
        return self.shape(*(list(qs) for qs in self.querysets))


def resolve_together(values: Iterable) -> list:
    """Each value with its rows read, in one statement for all: a Later gives
    what it shapes, a dict has its QuerySet and Later values read and shaped
    (in place: a new dict), anything else is given back as is."""
    values = list(values)
    querysets: list[QuerySet] = []
    for value in values:
        for item in value.values() if isinstance(value, dict) else (value,):
            if isinstance(item, Later):
                querysets.extend(item.querysets)
            elif isinstance(item, QuerySet):
                querysets.append(item)
    fill_together(querysets)

    def done(item):
        return item.resolve() if isinstance(item, Later) else item

    return [
        {key: done(item) for key, item in value.items()} if isinstance(value, dict) else done(value)
        for value in values
    ]
