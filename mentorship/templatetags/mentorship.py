from django import template

from ..choices import (
    LANGUAGE_CHOICES,
    DeliveryMethod,
    LivedExperience,
    RecoveryPathway,
    Specialization,
    labels,
)

register = template.Library()


@register.filter
def language_names(codes) -> str:
    return ", ".join(labels(LANGUAGE_CHOICES, codes or []))


@register.filter
def pathway_names(values) -> str:
    return ", ".join(labels(RecoveryPathway, values or []))


@register.filter
def delivery_names(values) -> str:
    return ", ".join(labels(DeliveryMethod, values or []))


@register.filter
def experience_names(values) -> str:
    return ", ".join(labels(LivedExperience, values or []))


@register.filter
def specialization_names(values) -> str:
    return ", ".join(labels(Specialization, values or []))


@register.filter
def language_name(code) -> str:
    return str(dict(LANGUAGE_CHOICES).get(code, code or "—"))
