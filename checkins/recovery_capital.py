"""BARC-10, the Brief Assessment of Recovery Capital (Vilsaint et al., 2017):
ten statements, each scored 1 (strongly disagree) to 6 (strongly agree). The
total runs from 10 to 60; 47 or more is the level linked to sustained remission.
The item texts live here and nowhere else."""

BARC10_ITEMS = (
    "There are more important things to me in life than using substances.",
    "In general I am happy with my life.",
    "I have enough energy to complete the tasks I set myself.",
    "I am proud of the community I live in and feel part of it.",
    "I get lots of support from friends.",
    "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
    "My living space has helped to drive my recovery journey.",
    "I take full responsibility for my actions.",
    "I am happy dealing with a range of professional people.",
    "I am making good progress on my recovery journey.",
)
SCALE = (
    (1, "strongly disagree"),
    (2, "disagree"),
    (3, "somewhat disagree"),
    (4, "somewhat agree"),
    (5, "agree"),
    (6, "strongly agree"),
)
SUSTAINED_REMISSION_THRESHOLD = 47
REASSESS_EVERY_DAYS = 90
ITEM_FIELDS = tuple(f"item_{n}" for n in range(1, 11))
