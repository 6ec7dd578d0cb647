"""A pseudo-language built at test time: every string marked for translation
comes out wrapped in ⟪ ⟫, so any text of Peerpath's that a page shows
unwrapped was never marked. Nothing is compiled: the pseudo-language is a
translation object put where Django keeps its loaded catalogues."""

import gettext
import re
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import trans_real

PSEUDO = "x-pseudo"
OPEN, CLOSE = "⟪", "⟫"
CONTEXT_SEPARATOR = "\x04"


class PseudoTranslation(gettext.NullTranslations):
    def gettext(self, message):
        if CONTEXT_SEPARATOR in message:  # pgettext: the message after its context
            message = message.split(CONTEXT_SEPARATOR, 1)[1]
        return f"{OPEN}{message}{CLOSE}" if message else message

    def ngettext(self, msgid1, msgid2, n):
        return self.gettext(msgid1 if n == 1 else msgid2)

    def language(self):
        return PSEUDO

    def to_language(self):
        return PSEUDO


@contextmanager
def pseudo_language(monkeypatch):
    """Everyone, signed in or not, reads the pseudo-language."""
    from accounts import languages

    trans_real._translations[PSEUDO] = PseudoTranslation()
    monkeypatch.setattr(languages, "supported", lambda code: PSEUDO)
    try:
        with translation.override(PSEUDO):
            yield
    finally:
        trans_real._translations.pop(PSEUDO, None)


WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


def unwrapped(text: str) -> str:
    """The text without its wrapped (marked) parts, innermost first, so a
    marked sentence with a marked word inside goes as a whole."""
    while True:
        shorter = WRAPPED.sub(" ", text)
        if shorter == text:
            return text
        text = shorter
