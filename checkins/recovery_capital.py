"""BARC-10, the Brief Assessment of Recovery Capital (Vilsaint et al., 2017):
ten statements, each scored 1 (strongly disagree) to 6 (strongly agree). The
total runs from 10 to 60; 47 or more is the level linked to sustained remission.
The item texts live here and nowhere else."""

from django.utils.translation import gettext_lazy as _

BARC10_ITEMS = (
    _("There are more important things to me in life than using substances."),
    _("In general I am happy with my life."),
    _("I have enough energy to complete the tasks I set myself."),
    _("I am proud of the community I live in and feel part of it."),
    _("I get lots of support from friends."),
    _(
        "I regard my life as challenging and fulfilling without the need for using drugs or alcohol."
    ),
    _("My living space has helped to drive my recovery journey."),
    _("I take full responsibility for my actions."),
    _("I am happy dealing with a range of professional people."),
    _("I am making good progress on my recovery journey."),
)
SCALE = (
    (1, _("strongly disagree")),
    (2, _("disagree")),
    (3, _("somewhat disagree")),
    (4, _("somewhat agree")),
    (5, _("agree")),
    (6, _("strongly agree")),
)
SUSTAINED_REMISSION_THRESHOLD = 47
REASSESS_EVERY_DAYS = 90
ITEM_FIELDS = tuple(f"item_{n}" for n in range(1, 11))
