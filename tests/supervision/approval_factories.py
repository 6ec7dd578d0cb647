"""A program with approvals on, a supervisor for the case's mentor."""

from supervision import services
from supervision.models import SupervisionSettings
from tests.supervision.factories import designate


def approvals_on(program) -> None:
    SupervisionSettings.objects.update_or_create(
        program=program, defaults={"approvals_required": True}
    )


def supervise(mentor, supervisor_user, coordinator):
    supervisor = designate(supervisor_user, coordinator)
    return services.supervisor_assign(mentor=mentor, supervisor=supervisor, by=coordinator)
