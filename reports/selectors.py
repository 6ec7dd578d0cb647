"""Which programs a reader may report on: the one scoping place of reports.

Coordinators their own program; admins any one program or all of them. The
report shows only aggregates under the small-cell rule, never a mentee's
record, so an admin needs no break-glass grant for it."""

from django.http import Http404

from accounts.models import Program, User


def reportable_programs(*, user: User):
    if not (user.is_authenticated and (user.is_admin or user.is_coordinator)):
        return Program.objects.none()
    return Program.objects.visible_to(user).order_by("name")


def programs_for_report(*, user: User, program_id: int | None) -> list[Program]:
    """The programs of one report: the chosen one (404 when out of reach), or
    every program the reader reaches when none is chosen (a coordinator's is
    their own)."""
    programs = reportable_programs(user=user)
    if program_id is None:
        return list(programs)
    chosen = list(programs.filter(pk=program_id))
    if not chosen:
        raise Http404("No such program.")
    return chosen
