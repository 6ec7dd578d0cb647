"""No select shows Django's default blank label "---------": every page of the
scoping tables, as each role that may open it, names its blank choice in
words ("Choose…", "any …", "none")."""

import pytest
from django.urls import reverse

from tests.test_url_coverage import TABLES
from tests.test_write_proof import case  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PLACEHOLDER = "---------"
# Pages, not the API: its answers are JSON, never a select.
PAGES = sorted(
    {
        (r[0], r[2], tuple(sorted(r[3].items())))
        for t in TABLES
        for r in t
        if r[1] == "get" and not r[0].startswith("api:")
    }
)


@pytest.mark.parametrize(("name", "arg", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_shows_the_dashes_placeholder(case, name, arg, expected):  # noqa: F811
    url = reverse(name, args=case.args[arg] if arg else None)
    for role, status in expected:
        if status != 200 or role not in case.clients:
            continue
        response = case.clients[role].get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert PLACEHOLDER not in response.content.decode(), f"{role} GET {url}"


def test_blank_choices_are_named_by_whether_an_answer_is_required():
    from django import forms

    from accounts.models import Program
    from core.forms import NamedBlankChoices

    class Example(NamedBlankChoices, forms.Form):
        blank_labels = {"worded": "no preference"}
        needed = forms.TypedChoiceField(choices=[("", PLACEHOLDER), ("a", "A")])
        optional = forms.ChoiceField(choices=[("", PLACEHOLDER), ("a", "A")], required=False)
        worded = forms.ChoiceField(choices=[("", PLACEHOLDER), ("a", "A")], required=False)
        program = forms.ModelChoiceField(queryset=Program.objects.none())
        kept = forms.ChoiceField(choices=[("", "any status"), ("a", "A")], required=False)

    form = Example()
    assert form.fields["needed"].choices[0] == ("", "Choose…")
    assert form.fields["optional"].choices[0] == ("", "none")
    assert form.fields["worded"].choices[0] == ("", "no preference")
    assert form.fields["program"].empty_label == "Choose…"
    assert form.fields["kept"].choices[0] == ("", "any status")
    assert PLACEHOLDER not in form.as_div()
