"""Text for the PDFs we make with fpdf2's built-in fonts (the referral letter,
the outcome report)."""

import unicodedata

# The built-in fonts speak Latin-1: other letters lose their accent (ễ → e)
# rather than the text a character.
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}
)


def latin1(text: object) -> str:
    """The text in Latin-1: typographic quotes and dashes made plain, other
    letters without their accents, anything else a question mark."""
    text = str(text).translate(_TYPOGRAPHY)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)
