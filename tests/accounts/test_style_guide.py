"""The style guide (/style-guide/): staff see every token and component of the
design system, each with a note on when to use it; the icons are the
vendored Lucide set, inlined and hidden from screen readers."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/style-guide/"


def test_the_url():
    assert reverse("accounts:style_guide") == URL


@pytest.mark.parametrize("who", ["admin_user", "coordinator"])
def test_staff_see_every_component(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in [
        "Colours", "Spacing", "Type", "Buttons", "Cards", "Table", "Form section",
        "Error summary", "Badges", "Empty state", "Icons",
    ]:  # fmt: skip
        assert re.search(rf"<h2 id=\"sg-[a-z]+\">{heading}</h2>", html), heading
    assert 'class="swatch__chip swatch__chip--brand"' in html
    assert "--space-6" in html and "--text-3xl" in html
    assert 'class="button button--danger"' in html
    assert 'class="card card--alert"' in html
    assert '<div class="table-wrap" tabindex="0" role="region"' in html
    assert '<fieldset class="form-section"' in html and "<legend>Contact</legend>" in html
    assert 'class="field__help"' in html and "Choose…" in html and "---------" not in html
    assert 'class="error-summary"' in html and 'href="#id_broken-name"' in html
    assert 'id="id_broken-name"' in html
    assert "data-error-summary" not in html  # an example: not focused on load
    assert 'class="badge badge--active"' in html
    assert 'class="empty-state"' in html
    assert html.count('<svg class="icon" aria-hidden="true"') >= 15
    # Every section says when to use it.
    assert html.count('<p class="muted">') >= 11


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_mentors_and_mentees_are_refused(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_go_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_icon_tag_inlines_a_vendored_icon_hidden_from_screen_readers():
    html = Template('{% load icons %}<span>{% icon "bell" %} Alerts</span>').render(Context())
    assert html.startswith('<span><svg class="icon" aria-hidden="true" focusable="false"')
    assert "<!--" not in html and "lucide-bell" not in html
    assert html.endswith("</svg> Alerts</span>")


@pytest.mark.parametrize("name", ["no-such-icon", "../LICENSE"])
def test_an_unknown_icon_is_a_template_error(name):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load icons %}{% icon name %}").render(Context({"name": name}))


def test_the_icon_set_ships_its_licence():
    from django.contrib.staticfiles import finders

    licence = finders.find("vendor/lucide/LICENSE")
    assert licence and "ISC License" in open(licence, encoding="utf-8").read()  # noqa: PTH123
