from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualification(models.TextChoices):
    CERTIFIED_PEER = "certified_peer", _("certified peer support specialist")
    LICENSED = "licensed", _("licensed professional")
    REGISTERED = "registered", _("registered professional")


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    TELEPHONE = "telephone", _("telephone")
    VIDEO = "video", _("video")


class Topic(models.TextChoices):
    CASELOAD_REVIEW = "caseload_review", _("caseload review")
    ETHICS = "ethics_and_boundaries", _("ethics and boundaries")
    SELF_CARE = "self_care", _("self-care")
    CRISIS_DEBRIEF = "crisis_debrief", _("crisis debrief")
    DOCUMENTATION = "documentation", _("documentation")
    SKILLS = "skills", _("skills")
    CERTIFICATION = "certification_and_ce", _("certification and CE")
