"""`{% once_token %}`: the one-time token of a create form written by hand in
a template (core.once; a Django form carries it as a field)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def once_token() -> str:
    return format_html('<input type="hidden" name="once_token" value="{}">', uuid.uuid4())
