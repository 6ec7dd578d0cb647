"""`{% icon "bell" %}`: one icon of the vendored Lucide set
(static/vendor/lucide/icons), inlined so that it takes the text's colour, and
hidden from assistive technology (aria-hidden): an icon goes beside words
that say the same, never alone."""

import functools
import pathlib
import re

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ICON_DIR = "vendor/lucide/icons"
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_CLASS = re.compile(r'\sclass="[^"]*"')


@functools.cache
def _svg(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise template.TemplateSyntaxError(f"No icon named {name!r}")
    path = finders.find(f"{ICON_DIR}/{name}.svg")
    if not path:
        raise template.TemplateSyntaxError(f"No icon named {name!r} in static/{ICON_DIR}")
    with open(path, encoding="utf-8") as file:  # noqa: PTH123
        svg = _COMMENT.sub("", file.read())
    svg = _CLASS.sub("", svg, count=1)
    svg = re.sub(r"\s*\n\s*", " ", svg).replace("> <", "><").strip()
    return svg.replace("<svg", '<svg class="icon" aria-hidden="true" focusable="false"', 1)


def icon_names() -> list[str]:
    """The vendored icons, for the style guide."""
    directory = finders.find(ICON_DIR)
    if not directory:
        return []
    return sorted(p.stem for p in pathlib.Path(directory).glob("*.svg"))


@register.simple_tag
def icon(name: str) -> SafeString:
    return mark_safe(_svg(name))  # noqa: S308 (a vendored file of our own static tree)
