"""docker-compose.yml cannot be started here (no Docker engine): read it instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_production_has_web_worker_beat_postgres_and_redis_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert all("healthcheck" in service for service in services.values())
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")


def test_app_services_use_production_settings_and_wait_for_healthy_stores():
    services = compose()["services"]
    for name in ["web", "worker", "beat"]:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_data_lives_in_named_volumes():
    spec = compose()
    assert {"postgres-data", "redis-data", "media"} <= set(spec["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in spec["services"]["postgres"]["volumes"]


def test_the_trusted_proxy_count_reaches_the_site_and_the_example_sets_one():
    services = compose()["services"]
    for name in ["web", "worker", "beat"]:
        env = services[name]["environment"]
        assert env["PEERPATH_TRUSTED_PROXY_COUNT"] == "${PEERPATH_TRUSTED_PROXY_COUNT:-0}"
    example = (ROOT / ".env.example").read_text().splitlines()
    assert "PEERPATH_TRUSTED_PROXY_COUNT=1" in example
