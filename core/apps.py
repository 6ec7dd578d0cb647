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
