from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app shares and no domain owns (dates,
    registries, service-error adapters, scoping, the task base). It imports
    no app of the project."""

    name = "core"
    verbose_name = "Shared foundations"

    def ready(self) -> None:
        from .api.choices import speak_as_forms

        speak_as_forms()
        # The request id's way into the tasks a request queues (Celery signals).
        from . import error_reports, request_log  # noqa: F401

        error_reports.init()
