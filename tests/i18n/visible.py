"""What a person reads on a page or in an email: its visible text, with the
people's own data taken out, so that what is left is Peerpath's words."""

import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Elements whose content nobody reads as text, or reads as code (an API
# header, a design token): no language translates those.
HIDDEN_CONTENT = {"script", "style", "template", "noscript", "code"}
# Attributes read out or shown: labels for screen readers, tooltips,
# placeholders, image text, and a button's face.
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in HIDDEN_CONTENT:
            self.hidden += 1
        for name in READ_ATTRIBUTES & values.keys():
            self.parts.append(f" {values[name] or ''} ")
        if tag == "input" and values.get("type") in BUTTON_INPUTS and values.get("value"):
            self.parts.append(f" {values['value']} ")
        # Block elements and line breaks separate words.
        self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN_CONTENT:
            self.hidden -= 1

    def handle_endtag(self, tag):
        if tag in HIDDEN_CONTENT and self.hidden:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parts for parts in parser.parts)).strip()


# Text a person typed is data, whatever its language; these fields hold text
# Peerpath itself wrote (in the language of whoever was reading then), so
# they are not taken out.
CODE_WRITTEN = {"recovery_plans.PlanChange.summary"}


def code_written_values() -> set[str]:
    """Values Peerpath stores as a default for people to change, and shows
    in the reader's language while nobody has."""
    from recovery_plans.models import DEFAULT_CRISIS_LINES

    return {DEFAULT_CRISIS_LINES}


OUR_APPS = (
    "accounts",
    "mentorship",
    "notifications",
    "checkins",
    "recovery_plans",
    "certification",
    "referrals",
    "supervision",
    "operations",
)


def stored_text(*, code_written: bool = False) -> list[str]:
    """Every text value people entered in our tables (names, emails, goals,
    notes, program names…), longest first. Fields with choices hold codes,
    shown through their labels, which are Peerpath's words: not data.
    `code_written` counts what Peerpath itself stored (CODE_WRITTEN, and the
    defaults people may change) as data too: a record kept in the words of
    the day it was written, for staff."""
    found: set[str] = set()
    defaults = code_written_values()
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.FileField)
                and not f.choices
                and (code_written or f"{model._meta.label}.{f.name}" not in CODE_WRITTEN)
            ]
            if not names:
                continue
            for row in model._default_manager.values_list(*names):
                for name, value in zip(names, row, strict=True):
                    value = str(value) if value else ""
                    if value and (code_written or value not in defaults):
                        found |= {value, *value.splitlines()}
                    if value and name.endswith("name"):
                        found |= set(value.split())  # "Marcus" of "Marcus Reyes"
    return sorted((v.strip() for v in found if len(v.strip()) >= 2), key=len, reverse=True)


def without(text: str, data: list[str]) -> str:
    """The text with every stored value taken out (as whole words)."""
    for value in data:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return text
