"""The README's API guide runs as written (issue #14, item 7): each of its
shell examples against a live server, as a coordinator and their mentor."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.accounts.factories import enrol_totp, has_totp
from tests.accounts.test_api_tokens import knox_token_for

# A live server on the machine's clock (curl sends "now"): CI's first pass only.
pytestmark = [pytest.mark.first_pass, pytest.mark.django_db(transaction=True)]


def guide_examples() -> list[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    guide = readme.split("## API guide", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", guide, re.S)


def test_the_guide_has_an_example_for_each_topic():
    text = "\n".join(guide_examples())
    for part in ["users/me", "page_size", "?mentee=", "Idempotency-Key", "If-Match"]:
        assert part in text


def test_every_example_in_the_api_guide_runs(live_server, coordinator, mentor, mentee_profile):
    for person in (coordinator, mentor):
        if not has_totp(person):
            enrol_totp(person)  # a personal token needs a second factor
    env = os.environ | {
        "PEERPATH": live_server.url,
        "TOKEN": knox_token_for(coordinator),
        "MENTOR_TOKEN": knox_token_for(mentor),
        "MENTEE": str(mentee_profile.pk),
    }
    for example in guide_examples():
        done = subprocess.run(  # noqa: S603
            ["bash", "-euo", "pipefail", "-c", example],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, (example, done.stdout, done.stderr)
        assert done.stdout.startswith("{") and "server_error" not in done.stdout, example
        if "mentee=abc" in example:
            refused = json.loads(done.stdout)
            assert refused["type"] == "validation_error"
            assert refused["errors"][0]["attr"] == "mentee"
    # The check-in sent twice with one key was recorded once; the PATCH saved.
    assert mentee_profile.checkins.count() == 1
    mentee_profile.refresh_from_db()
    assert mentee_profile.county == "Yolo"
