"""scripts/audit_deps.py: pip-audit's answer, and never a silent pass when
the vulnerability database cannot be reached."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_deps.py"


@pytest.fixture
def audit_deps():
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OFFLINE = "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/query"


def answers(monkeypatch, module, by_service):
    """pip-audit answering `by_service[service]`: (exit code, JSON report or None);
    no report means the network failed."""
    asked = []

    def fake(lock, service):
        asked.append(service)
        code, data = by_service[service]
        return code, data, OFFLINE if data is None else ""

    monkeypatch.setattr(module, "run_pip_audit", fake)
    return asked


AUDITED = {"dependencies": [{"name": "django", "version": "5.2.8", "vulns": []}]}
VULNERABLE = {
    "dependencies": [{"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1"}]}]
}
NOT_FOUND = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}


def test_a_clean_audit_passes(monkeypatch, audit_deps, capsys):
    answers(monkeypatch, audit_deps, {"osv": (0, AUDITED)})
    assert audit_deps.main(["requirements.lock"]) == 0
    assert "1 packages audited" in capsys.readouterr().out


def test_a_known_vulnerability_fails_and_is_named(monkeypatch, audit_deps, capsys):
    answers(monkeypatch, audit_deps, {"osv": (1, VULNERABLE)})
    assert audit_deps.main(["requirements.lock"]) == 1
    assert "django 5.2.0: PYSEC-1" in capsys.readouterr().out


def test_osv_unreachable_falls_back_to_pypi(monkeypatch, audit_deps):
    asked = answers(monkeypatch, audit_deps, {"osv": (1, None), "pypi": (1, VULNERABLE)})
    assert audit_deps.main(["requirements.lock"]) == 1
    assert asked == ["osv", "pypi"]


def test_no_database_says_nothing_was_audited_and_does_not_fail(monkeypatch, audit_deps, capsys):
    # A mirror without PyPI's JSON API: every package "not found", exit code 0.
    answers(monkeypatch, audit_deps, {"osv": (1, None), "pypi": (0, NOT_FOUND)})
    assert audit_deps.main(["requirements.lock"]) == 0
    assert audit_deps.UNREACHABLE in capsys.readouterr().out


def test_packages_not_looked_up_are_named(monkeypatch, audit_deps, capsys):
    skipped = {"name": "celery", "skip_reason": "not found"}
    partly = {"dependencies": [*AUDITED["dependencies"], skipped]}
    answers(monkeypatch, audit_deps, {"osv": (0, partly)})
    assert audit_deps.main(["requirements.lock"]) == 0
    assert "1 NOT audited (celery)" in capsys.readouterr().out


def test_a_failure_other_than_the_network_fails(monkeypatch, audit_deps, capsys):
    monkeypatch.setattr(
        audit_deps, "run_pip_audit", lambda lock, service: (1, None, "Invalid requirement")
    )
    assert audit_deps.main(["requirements.lock"]) == 1
    assert "Invalid requirement" in capsys.readouterr().out
