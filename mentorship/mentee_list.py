"""What apps above mentorship add to the coordinator's mentee list.

The list lives here, but what a coordinator scans it for (the last contact,
the next check-in due, an open crisis, an overdue check-in, a contact gap)
belongs to check-ins, which sits above mentorship and cannot be imported from
here. So check-ins registers a `MenteeListColumns` from its AppConfig.ready():
annotations for the list's one query, its column headers and cells template,
the flags of each shown row, the risk filters and the sorts.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

Q_ = TypeVar("Q_", bound=QuerySet)


@dataclass(frozen=True)
class Choice:
    key: str
    label: "_StrOrPromise"  # in the reader's language


@dataclass(frozen=True)
class Risk(Choice):
    # The mentees of the queryset at this risk (may run one query of its own).
    matching: Callable[[QuerySet], QuerySet]


@dataclass(frozen=True)
class Sort(Choice):
    order_by: tuple


@dataclass(frozen=True)
class MenteeListColumns:
    annotate: Callable[[QuerySet], QuerySet]
    headers: tuple["_StrOrPromise", ...]
    cells_template: str
    # Sets `flags` ([(key, label)]) on each shown row, without a query.
    flag_rows: Callable[[Iterable], None]
    risks: tuple[Risk, ...] = ()
    sorts: tuple[Sort, ...] = ()


# The list joins each mentee's active assignment under this name (a mentee
# has at most one, so no row repeats): registered columns may read through it,
# e.g. F(f"{ACTIVE_ASSIGNMENT}__started_on").
ACTIVE_ASSIGNMENT = "active_assignment"

# Sorts of mentorship's own columns; registered columns add theirs.
BY_NAME = Sort("name", _("Name"), (F("preferred_name").asc(), "pk"))
OWN_SORTS = (BY_NAME, Sort("intake", _("Intake, newest first"), (F("intake_date").desc(), "pk")))

_columns: list[MenteeListColumns] = []


def register_mentee_list_columns(columns: MenteeListColumns) -> None:
    _columns.append(columns)


def registered_columns() -> list[MenteeListColumns]:
    return list(_columns)


def risks() -> list[Risk]:
    return [risk for columns in _columns for risk in columns.risks]


def sorts() -> list[Sort]:
    return [*OWN_SORTS, *(sort for columns in _columns for sort in columns.sorts)]


def with_columns(queryset: Q_) -> Q_:
    for columns in _columns:
        queryset = cast(Q_, columns.annotate(queryset))
    return queryset


def at_risk(queryset: Q_, key: str) -> Q_:
    for risk in risks():
        if risk.key == key:
            return cast(Q_, risk.matching(queryset))
    return queryset


def sorted_by(queryset: Q_, key: str) -> Q_:
    chosen = next((sort for sort in sorts() if sort.key == key), BY_NAME)
    return queryset.order_by(*chosen.order_by)


def flag_rows(rows: Iterable) -> None:
    rows = list(rows)
    for row in rows:
        row.flags = []
    for columns in _columns:
        columns.flag_rows(rows)
