"""docker-compose.yml cannot be started here (no Docker engine): read it instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


LONG_RUNNING = {"web", "worker", "beat", "postgres", "redis"}


def test_production_has_web_worker_beat_postgres_and_redis_with_health_checks():
    services = compose()["services"]
    # The two others: migrate runs once and exits; lb is nginx itself (PID 1).
    assert set(services) == LONG_RUNNING | {"migrate", "lb"}
    assert all("healthcheck" in services[name] for name in LONG_RUNNING)
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["command"].startswith("gunicorn config.wsgi:application")
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    # No schedule file: redbeat keeps the schedule in Redis (two beats may run).
    assert "--schedule" not in services["beat"]["command"]
    assert "peerpath:beat::lock" in services["beat"]["healthcheck"]["test"][-1]


def test_app_services_use_production_settings_and_wait_for_healthy_stores():
    services = compose()["services"]
    for name in ["web", "worker", "beat", "migrate"]:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


# --- More than one of everything ---------------------------------------------


def test_web_and_worker_scale_behind_the_load_balancer():
    services = compose()["services"]
    # A fixed name or host port would stop `docker compose up --scale web=3`.
    for name in ["web", "worker", "beat"]:
        assert "container_name" not in services[name]
        assert "ports" not in services[name]
    assert services["lb"]["ports"] == ["8000:8000"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["lb"]["volumes"]
    assert "--bind 0.0.0.0:8000" in services["web"]["command"]


def test_migrations_run_once_before_every_app_container():
    services = compose()["services"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    assert "migrate" not in services["web"]["command"]
    for name in ["web", "worker", "beat"]:
        after = services[name]["depends_on"]["migrate"]
        assert after == {"condition": "service_completed_successfully"}


def nginx_directives() -> list[str]:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [" ".join(line.rstrip(";").split()) for line in lines if line.endswith(";")]


def test_the_balancer_follows_scaled_web_containers_and_passes_the_request_on_unchanged():
    directives = nginx_directives()
    # Docker's DNS, asked again as containers come and go; a variable in
    # proxy_pass makes nginx resolve per request instead of once at start.
    assert "resolver 127.0.0.11 valid=10s ipv6=off" in directives
    assert "set $web http://web:8000" in directives
    assert "proxy_pass $web" in directives
    # One host for every container (ALLOWED_HOSTS, the sign-in limits' key),
    # and the client's address and scheme as the TLS proxy gave them.
    assert "proxy_set_header Host $http_host" in directives
    assert "proxy_set_header X-Forwarded-For $http_x_forwarded_for" in directives
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto" in directives


def test_the_balancer_lets_the_largest_upload_through():
    from django.conf import settings

    (size,) = [d.split()[1] for d in nginx_directives() if d.startswith("client_max_body_size")]
    assert size.endswith("m")
    assert int(size[:-1]) * 1024 * 1024 > settings.PEERPATH_UPLOAD_MAX_BYTES


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


def test_the_web_health_check_asks_readyz_and_the_balancer_waits_for_it():
    services = compose()["services"]
    check = services["web"]["healthcheck"]["test"]
    assert "http://127.0.0.1:8000/readyz" in check[-1]
    assert "status != 200" in check[-1]
    assert services["lb"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_metrics_and_error_reports_are_configured_from_the_environment():
    services = compose()["services"]
    for name in ["web", "worker", "beat"]:
        env = services[name]["environment"]
        assert env["PEERPATH_METRICS_TOKEN"] == "${PEERPATH_METRICS_TOKEN:-}"
        assert env["SENTRY_DSN"] == "${SENTRY_DSN:-}"


def test_debians_docker_compose_accepts_the_file():
    import shutil
    import subprocess

    from tests.services import require

    # .ci/run installs Debian's docker-compose and requires it: there a
    # missing binary fails; on a laptop without it the test is skipped.
    binary = shutil.which("docker-compose")
    require("docker-compose", binary is not None, "docker-compose is not installed")
    assert binary is not None
    result = subprocess.run(
        [binary, "--env-file", ".env.example", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
