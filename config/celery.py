import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("peerpath")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _redbeat_settings() -> dict:
    """celery-redbeat looks its settings up by their own names
    (redbeat_redis_url, …): the CELERY_ prefix of Django's settings hides them
    from it, and it would fall back to the broker's settings with a warning."""
    from django.conf import settings

    prefix = "CELERY_REDBEAT_"
    return {
        name.removeprefix("CELERY_").lower(): getattr(settings, name)
        for name in dir(settings)
        if name.startswith(prefix)
    }


# Read when the configuration is first used, after Django's settings.
app.add_defaults(_redbeat_settings)
app.autodiscover_tasks()
