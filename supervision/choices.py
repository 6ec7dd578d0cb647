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


class ApprovalAction(models.TextChoices):
    """The actions a program may put behind approval (core.approvals names them)."""

    PLAN_ACTIVATION = "plan_activation", _("activate a recovery plan")
    MENTEE_DISCHARGE = "mentee_discharge", _("discharge a mentee")
    MENTEE_GRADUATION = "mentee_graduation", _("graduate a mentee")


class ApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
