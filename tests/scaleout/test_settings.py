"""What running on more than one machine asks of the settings: with Redis,
beat keeps its schedule and lock there (celery-redbeat), without it `make
run` keeps beat's own schedule file; private uploads go to a bucket when one
is named, else to the private folder; the cache and sessions every process
shares are in the database, never in one process's memory."""

import json

import pytest

from tests.test_run_local import run_settings

PRODUCTION = {
    "DJANGO_ALLOWED_HOSTS": "peerpath.example.org",
    "DATABASE_URL": "postgres://peerpath@127.0.0.1:5432/peerpath",
}

BEAT = """
import json, warnings
import django
django.setup()
from config.celery import app
found = {"scheduler": app.conf.beat_scheduler, "loop": app.conf.beat_max_loop_interval,
         "file": app.conf.beat_schedule_filename}
if found["scheduler"].startswith("redbeat"):
    from redbeat.schedulers import ensure_conf
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no falling back to the broker's settings
        conf = ensure_conf(app)
    found |= {"redis": conf.redis_url, "lock": conf.lock_key, "options": conf.redbeat_redis_options}
print(json.dumps(found))
"""


def beat_settings(module: str, **extra: str) -> dict:
    return json.loads(run_settings(module, BEAT, **extra).strip().splitlines()[-1])


def test_with_redis_beat_keeps_its_schedule_and_lock_in_redis():
    found = beat_settings(
        "config.settings.production", REDIS_URL="redis://redis:6379/0", **PRODUCTION
    )
    assert found["scheduler"] == "redbeat.RedBeatScheduler"
    assert found["redis"] == "redis://redis:6379/0"
    assert found["lock"] == "peerpath:beat::lock"
    # The lock lasts five loop intervals: a dead beat's is taken over in 2.5 minutes.
    assert found["loop"] == 30
    # The broker's visibility timeout is not a Redis client option.
    assert found["options"] == {}


def test_without_redis_make_run_keeps_one_beat_with_its_schedule_file(tmp_path):
    found = beat_settings("config.settings.local", PEERPATH_VAR_DIR=str(tmp_path))
    assert found["scheduler"] == "celery.beat:PersistentScheduler"
    assert found["file"] == str(tmp_path / "celerybeat-schedule")


STORAGE = """
import json
import django
django.setup()
from certification.models import CertificationDocument, ContinuingEducation
storages = {ContinuingEducation._meta.get_field("evidence").storage,
            CertificationDocument._meta.get_field("file").storage}
assert len(storages) == 1
(storage,) = storages
found = {"class": f"{type(storage).__module__}.{type(storage).__qualname__}"}
for name in ("bucket_name", "location", "region_name", "endpoint_url", "default_acl",
             "file_overwrite"):
    found[name] = getattr(storage, name, None)
try:
    storage.url("certification-documents/1/card.pdf")
except ValueError as refused:
    found["url"] = str(refused)
print(json.dumps(found))
"""


def storage_settings(**extra: str) -> dict:
    out = run_settings("config.settings.production", STORAGE, **PRODUCTION, **extra)
    return json.loads(out.strip().splitlines()[-1])


def test_private_uploads_stay_in_the_private_folder_without_a_bucket(tmp_path):
    found = storage_settings(PEERPATH_PRIVATE_MEDIA_ROOT=str(tmp_path))
    assert found["class"] == "certification.storage.PrivateStorage"
    assert found["location"] == str(tmp_path)
    assert found["url"].startswith("Private files have no URL")


@pytest.mark.parametrize(
    "extra, endpoint, region, location",
    [
        ({}, None, None, "private"),
        (
            {
                "PEERPATH_PRIVATE_STORAGE_ENDPOINT_URL": "https://s3.example.org",
                "PEERPATH_PRIVATE_STORAGE_REGION": "us-west-2",
                "PEERPATH_PRIVATE_STORAGE_PREFIX": "peerpath/private",
            },
            "https://s3.example.org",
            "us-west-2",
            "peerpath/private",
        ),
    ],
)
def test_a_named_bucket_keeps_private_uploads_private(extra, endpoint, region, location):
    found = storage_settings(PEERPATH_PRIVATE_STORAGE_BUCKET="peerpath-private", **extra)
    assert found == {
        "class": "certification.storage_s3.PrivateS3Storage",
        "bucket_name": "peerpath-private",
        "location": location,
        "region_name": region,
        "endpoint_url": endpoint,
        "default_acl": "private",
        "file_overwrite": False,
        "url": "Private files have no URL; serve them through a view that checks access.",
    }


SHARED = """
import django
django.setup()
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"])
print(settings.SESSION_ENGINE)
"""


@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.local"])
def test_every_process_shares_the_cache_and_sessions(module):
    # Rate limits, used two-factor codes and sessions: one store for all.
    out = run_settings(module, SHARED, **PRODUCTION, REDIS_URL="redis://redis:6379/0")
    assert out.split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]
