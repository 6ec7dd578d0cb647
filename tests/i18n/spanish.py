"""Is this text Spanish? Every word must be a word of the Spanish catalogues
Peerpath shows (its own, Django's, allauth's) or one of the few that are the
same in both languages; English function words never pass, and month and
day names pass only inside a date written the Spanish way."""

import re

from tests.i18n.catalogues import catalogue_words, words

MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "ene feb mar abr may jun jul ago sep sept oct nov dic"
).split()
WEEKDAYS = "lunes martes miércoles jueves viernes sábado domingo".split()
_month = "|".join(sorted(MONTHS, key=len, reverse=True))
_weekday = "|".join(WEEKDAYS)
# "jueves, 26 de noviembre", "26 nov 2026", "26 de noviembre de 2026",
# "26 nov 2026 14:05", "nov 2026", "noviembre de 2026".
SPANISH_DATE = re.compile(
    rf"(?:\b(?:{_weekday}),?\s+)?\b\d{{1,2}}\s+(?:de\s+)?(?:{_month})\.?"
    rf"(?:,?\s+(?:de\s+)?\d{{4}})?(?:,?\s+\d{{1,2}}:\d{{2}})?"
    rf"|\b(?:{_month})\.?\s+(?:de\s+)?\d{{4}}\b",
    re.IGNORECASE,
)
EMAIL_OR_LINK = re.compile(r"\S+@\S+|https?://\S+|/\S*")

# The same in both languages, or names: the product, the scale and the
# crisis line, and words US Spanish uses as they are.
SAME_IN_BOTH = {
    "peerpath",
    "check-in",
    "check-ins",
    "barc",
    "api",
    "token",
    "tokens",
    "lifeline",
    "smart",
}
# Words that are never Spanish: one of them left means an English sentence.
ENGLISH_ONLY = set(
    """the your you yours and of to is are was were be been have had will would
    with for this that these those from by at or not it its an as if when what who
    which there here our we they them their my please can cannot only all any
    about after before since into out up off over again new next last more most
    other than then too very just how why where""".split()
)


class Spanish:
    def __init__(self):
        self.vocabulary = (catalogue_words("es") | SAME_IN_BOTH) - set(MONTHS) - set(WEEKDAYS)

    def foreign_words(self, text: str) -> list[str]:
        """The words of `text` that are not Spanish, in order (empty: all Spanish)."""
        text = SPANISH_DATE.sub(" ", text)
        text = EMAIL_OR_LINK.sub(" ", text)
        left = []
        for word in words(text):
            lower = word.lower()
            if lower in ENGLISH_ONLY or lower not in self.vocabulary:
                left.append(word)
        return left
