"""A client no one here wrote (issue #14, item 6): openapi-python-client
generates a Python package from the schema, and a mentor logs a check-in
through it against a live server; the answer parses into its models."""

import json
import subprocess
import sys

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.accounts.factories import enrol_totp, has_totp
from tests.accounts.test_api_tokens import knox_token_for

# A live server and the machine's clock (the check-in is "now"): CI's first pass only.
pytestmark = [pytest.mark.first_pass, pytest.mark.django_db(transaction=True)]


def test_a_generated_client_logs_a_check_in(live_server, tmp_path, mentor, mentee_profile):
    schema = tmp_path / "openapi.json"
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema.write_bytes(OpenApiJsonRenderer().render(document))
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sys; from openapi_python_client.cli import app; sys.exit(app())",
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "peerpath_client"),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        from peerpath_client import AuthenticatedClient  # type: ignore[import-not-found]
        from peerpath_client.api.v1 import (  # type: ignore[import-not-found]
            v1_checkins_create,
            v1_checkins_retrieve,
        )
        from peerpath_client.models import (  # type: ignore[import-not-found]
            CheckIn,
            CheckInWriteRequest,
            DeliveryMethodEnum,
        )
    finally:
        sys.path.remove(str(tmp_path))

    if not has_totp(mentor):
        enrol_totp(mentor)  # a personal token needs a second factor
    client = AuthenticatedClient(base_url=live_server.url, token=knox_token_for(mentor))
    with client:
        created = v1_checkins_create.sync_detailed(
            client=client,
            body=CheckInWriteRequest(
                mentee=mentee_profile.pk,
                occurred_at=timezone.now().replace(microsecond=0),
                delivery_method=DeliveryMethodEnum.IN_PERSON,
                duration_minutes=30,
                mood=4,
            ),
        )
        assert created.status_code == 201, json.loads(created.content)
        assert isinstance(created.parsed, CheckIn)
        assert created.parsed.mentee == mentee_profile.pk and created.parsed.mood == 4
        again = v1_checkins_retrieve.sync(client=client, id=created.parsed.id)
        assert isinstance(again, CheckIn) and again.id == created.parsed.id
    assert mentee_profile.checkins.count() == 1
