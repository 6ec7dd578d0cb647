"""Audit the locked dependencies with pip-audit, and never pass silently.

Usage: python scripts/audit_deps.py requirements.lock [more.lock ...]

pip-audit asks a vulnerability database about every pinned version: OSV
first, then PyPI's JSON API. Three outcomes:

- audited: pip-audit's own exit status (1 when a known vulnerability is found);
- database unreachable (no network, or a mirror that answers "not found" for
  every package): says "dependencies NOT audited" and exits 0, because CI
  must not fail for lack of network - the line is in the log for a reviewer;
- partly audited: the audited part decides, and the skipped packages are named.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

SERVICES = ("osv", "pypi")
UNREACHABLE = "pip-audit: vulnerability database unreachable, dependencies NOT audited"
# What pip-audit's traceback says when the network is the problem; any other
# failure (a lock file it cannot read, a crash) fails the run.
NETWORK_ERRORS = ("ConnectionError", "NameResolution", "Max retries exceeded", "timed out")


def run_pip_audit(lock: str, service: str) -> tuple[int, dict | None, str]:
    """pip-audit's exit code, its JSON report (None when it produced none) and stderr."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [str(pip_audit), "-r", lock, "--disable-pip", "--progress-spinner", "off"]
        command += ["--vulnerability-service", service, "--format", "json", "-o", str(report)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        data = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
    return done.returncode, data, done.stderr


def audit(lock: str) -> int:
    for service in SERVICES:
        code, data, stderr = run_pip_audit(lock, service)
        if data is None and any(error in stderr for error in NETWORK_ERRORS):
            continue
        if data is None:
            print(f"pip-audit ({service}) failed on {lock}:\n{stderr[-2000:]}")
            return code or 2
        dependencies = data.get("dependencies", [])
        audited = [d for d in dependencies if "skip_reason" not in d]
        if not audited:  # every package "not found": the database did not answer
            continue
        skipped = sorted(d["name"] for d in dependencies if "skip_reason" in d)
        vulnerable = [d for d in audited if d.get("vulns")]
        print(f"pip-audit ({service}): {lock}: {len(audited)} packages audited", end="")
        print(f", {len(skipped)} NOT audited ({', '.join(skipped)})" if skipped else "")
        for dependency in vulnerable:
            ids = ", ".join(v["id"] for v in dependency["vulns"])
            print(f"  {dependency['name']} {dependency['version']}: {ids}")
        if vulnerable:
            return 1
        return code if code not in (0, 1) else 0
    print(f"{UNREACHABLE} ({lock}; tried {', '.join(SERVICES)})")
    return 0


def main(locks: list[str]) -> int:
    return max((audit(lock) for lock in locks), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.lock"]))
